// The benchmark build's compare_peers (tools/actjit/compare_peers.hpp): bench/peers'
// oneDNN and Eigen kernels, as rows of `actjit compare`.
#include "compare_peers.hpp"

#include "peers/peers.hpp"

namespace actjit::cli {

ComparePeers compare_peers() {
    ComparePeers out;
    for (const bench::Peer& peer : {bench::onednn_peer(), bench::eigen_peer()}) {
        for (const bench::PeerKernel& k : peer.kernels)
            if (k.forward32 && k.backward32) out.kernels.push_back({k.activation, peer.name, k.forward32, k.backward32});
        out.note += (out.note.empty() ? "Peers: " : "; ") + peer.name + " " + peer.version + " (" + peer.note + ")";
    }
    out.note += ".";
    return out;
}

}  // namespace actjit::cli

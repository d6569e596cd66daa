// The default build: no peer libraries (compare_peers.hpp).
#include "compare_peers.hpp"

namespace actjit::cli {

ComparePeers compare_peers() {
    return {{}, "oneDNN and Eigen rows: in the benchmark build (make bench, then build-bench/tools/actjit/actjit compare)."};
}

}  // namespace actjit::cli

// The libraries `actjit compare` also sets beside the generated kernels, as more rows:
// oneDNN's eltwise primitives and Eigen's array expressions (bench/peers). Only the
// benchmark build (make bench: ACTJIT_BENCH=ON, which finds them) links them in; the
// default build's compare has the handwritten kernels alone and says where the rest are.
#pragma once

#include <string>
#include <vector>

#include "handwritten.hpp"

namespace actjit::cli {

struct ComparePeers {
    std::vector<handwritten::Kernel> kernels;  // kind: the library ("onednn", "eigen")
    std::string note;                          // one line: versions, or where to find them
};

ComparePeers compare_peers();

}  // namespace actjit::cli

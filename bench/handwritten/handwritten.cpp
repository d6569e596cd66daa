#include "handwritten.hpp"

namespace handwritten {

namespace {

bool has_avx512() { return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq"); }
bool has_avx2() { return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"); }

}  // namespace

std::string loops_isa() { return has_avx512() ? "avx512" : has_avx2() ? "avx2" : "x86-64"; }

std::vector<Kernel> kernels() {
    std::vector<Kernel> all = has_avx512() ? loops_avx512() : has_avx2() ? loops_avx2() : loops_baseline();
    if (has_avx512())
        for (Kernel& k : intrinsics_avx512()) all.push_back(k);
    if (has_avx2())
        for (Kernel& k : intrinsics_avx2()) all.push_back(k);
    return all;
}

}  // namespace handwritten

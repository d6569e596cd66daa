#include "target.hpp"

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <mutex>

#include <llvm/ADT/StringMap.h>
#include <llvm/MC/MCSubtargetInfo.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/TargetParser/Host.h>
#include <llvm/TargetParser/X86TargetParser.h>

#include "error.hpp"

namespace actjit::jit {

namespace {

void initialize_llvm() {
    static std::once_flag once;
    std::call_once(once, [] {
        llvm::InitializeNativeTarget();
        llvm::InitializeNativeTargetAsmPrinter();
    });
}

}  // namespace

Target choose_target(std::string_view forced) {
    initialize_llvm();
    std::string name(forced);
    if (name.empty())
        if (const char* env = std::getenv("ACTJIT_CPU"); env && *env) name = env;
    Target t;
    const std::string triple = llvm::sys::getProcessTriple();
    std::string error;
    const llvm::Target* target = llvm::TargetRegistry::lookupTarget(triple, error);
    if (!target) throw JitError("no LLVM target for " + triple + ": " + error);
    auto has = [&](const char* feature) { return t.features.find(std::string("+") + feature) != std::string::npos; };
    if (name.empty() || name == "host" || name == "native") {
        t.cpu = llvm::sys::getHostCPUName().str();
        for (const auto& f : llvm::sys::getHostCPUFeatures())
            t.features += (t.features.empty() ? "" : ",") + std::string(f.second ? "+" : "-") + f.first().str();
    } else {
        std::unique_ptr<llvm::MCSubtargetInfo> info(target->createMCSubtargetInfo(triple, "", ""));
        if (!info || !info->isCPUStringValid(name))
            throw JitError("unknown CPU '" + name + "' (try x86-64, haswell, skylake-avx512, znver4, or host)");
        t.cpu = name;
        // The CPU's own features, to know its vector width; LLVM takes the same defaults
        // from the name when the feature string is left empty.
        llvm::SmallVector<llvm::StringRef, 64> defaults;
        llvm::X86::getFeaturesForCPU(name, defaults, /*NeedPlus=*/true);
        std::string list;
        for (llvm::StringRef f : defaults) list += (list.empty() ? "" : ",") + f.str();
        t.features = list;
    }
    t.vector_bits = has("avx512f") ? 512 : has("avx2") ? 256 : 128;
    // ACTJIT_VECTOR_BITS=256 (or 128) narrows the vectors, the instructions staying the
    // CPU's: to measure AVX-512 against 256-bit vectors on one machine.
    if (const char* bits = std::getenv("ACTJIT_VECTOR_BITS"); bits && *bits) {
        int narrower = std::atoi(bits);
        if (narrower != 128 && narrower != 256 && narrower != 512)
            throw JitError(std::string("ACTJIT_VECTOR_BITS: not 128, 256 or 512: ") + bits);
        t.vector_bits = std::min(t.vector_bits, narrower);
    }
    t.fma = has("fma");
    t.sse41 = has("sse4.1");
    t.avx512 = has("avx512f");
    t.avx512vl = has("avx512vl");
    if (!(name.empty() || name == "host" || name == "native")) t.features.clear();
    return t;
}

}  // namespace actjit::jit

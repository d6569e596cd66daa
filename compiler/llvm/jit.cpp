#include "jit.hpp"

#include <chrono>
#include <cstdlib>
#include <map>
#include <mutex>

#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/ExecutionEngine/Orc/ExecutionUtils.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/IR/Module.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Support/CodeGen.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/TargetParser/Host.h>

#include "error.hpp"
#include "optimize.hpp"

namespace actjit::jit {

namespace {

std::string message(llvm::Error error) { return llvm::toString(std::move(error)); }

std::unique_ptr<llvm::TargetMachine> machine_for(const Target& target, llvm::CodeGenOptLevel level) {
    std::string triple = llvm::sys::getProcessTriple(), problem;
    const llvm::Target* t = llvm::TargetRegistry::lookupTarget(triple, problem);
    if (!t) throw JitError("no LLVM target for " + triple + ": " + problem);
    llvm::TargetOptions options;
    std::unique_ptr<llvm::TargetMachine> machine(t->createTargetMachine(
        triple, target.cpu, target.features, options, llvm::Reloc::PIC_, std::nullopt, level));
    if (!machine) throw JitError("cannot make a target machine for " + target.cpu);
    return machine;
}

// Target machines are reused: making one (and its subtarget, from the CPU's feature
// list) costs more than compiling a small kernel. A machine is not safe for two
// compilations at once, so each is lent to one compilation at a time.
class Machines {
public:
    struct Lease {
        Machines* owner;
        std::string key;
        std::unique_ptr<llvm::TargetMachine> machine;
        ~Lease() { owner->give_back(std::move(key), std::move(machine)); }
        llvm::TargetMachine& operator*() { return *machine; }
    };
    Lease lend(const Target& target, llvm::CodeGenOptLevel level) {
        std::string key = std::to_string(static_cast<int>(level)) + " " + target.cpu + " " + target.features;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            auto& free = free_[key];
            if (!free.empty()) {
                auto machine = std::move(free.back());
                free.pop_back();
                return {this, std::move(key), std::move(machine)};
            }
        }
        return {this, std::move(key), machine_for(target, level)};
    }

private:
    void give_back(std::string key, std::unique_ptr<llvm::TargetMachine> machine) {
        std::lock_guard<std::mutex> lock(mutex_);
        free_[key].push_back(std::move(machine));
    }
    std::mutex mutex_;
    std::map<std::string, std::vector<std::unique_ptr<llvm::TargetMachine>>> free_;
};

Machines& machines() {
    static auto* m = new Machines();  // lives to exit: leases may end during static destruction
    return *m;
}

void prepare(llvm::Module& module, llvm::TargetMachine& machine) {
    module.setDataLayout(machine.createDataLayout());
    module.setTargetTriple(machine.getTargetTriple().str());
}

std::string emit(llvm::Module& module, llvm::TargetMachine& machine, llvm::CodeGenFileType type) {
    llvm::SmallString<0> buffer;
    llvm::raw_svector_ostream out(buffer);
    llvm::legacy::PassManager passes;
    // The module was verified when it was generated (codegen.cpp): no second verifier.
    if (machine.addPassesToEmitFile(passes, out, nullptr, type, /*DisableVerify=*/true))
        throw JitError("the target cannot emit this file type");
    passes.run(module);
    return std::string(buffer.str());
}

// One LLJIT per target, for the whole process (LLJIT is thread-safe for adding objects,
// looking up and removing).
class Session {
public:
    explicit Session(const Target& target) {
        auto builder = llvm::orc::JITTargetMachineBuilder(llvm::Triple(llvm::sys::getProcessTriple()));
        builder.setCPU(target.cpu);
        llvm::SubtargetFeatures features(target.features);
        builder.addFeatures(features.getFeatures());
        auto jit = llvm::orc::LLJITBuilder().setJITTargetMachineBuilder(std::move(builder)).create();
        if (!jit) throw JitError("cannot start the JIT: " + message(jit.takeError()));
        jit_ = std::move(*jit);
        // Link problems (a missing symbol) arrive here, not through lookup's error.
        jit_->getExecutionSession().setErrorReporter([this](llvm::Error e) {
            std::lock_guard<std::mutex> lock(mutex_);
            last_problem_ = message(std::move(e));
        });
    }

    // Each kernel set in a JITDylib of its own: two definitions (or one from two files)
    // may use the same symbol names, and removing the dylib frees exactly its code.
    std::shared_ptr<LinkedKernels> link(const std::vector<std::string>& objects, const KernelSymbols& symbols) {
        std::string name;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            name = "kernels." + std::to_string(++count_);
        }
        auto dylib = jit_->createJITDylib(name);
        if (!dylib) throw JitError("cannot make a JITDylib: " + message(dylib.takeError()));
        auto kernels = std::make_shared<Linked>(jit_->getExecutionSession(), *dylib);
        for (const std::string& object : objects) {
            auto buffer = llvm::MemoryBuffer::getMemBufferCopy(object, name);
            if (llvm::Error e = jit_->addObjectFile(*dylib, std::move(buffer)))
                throw JitError("cannot link the kernels: " + message(std::move(e)));
        }
        std::atomic<void*>* slots[] = {&kernels->forward, &kernels->backward, &kernels->forward_packed,
                                       &kernels->backward_packed};
        const std::string* names[] = {&symbols.forward, &symbols.backward, &symbols.forward_packed, &symbols.backward_packed};
        for (int i = 0; i < 4; ++i) {
            if (names[i]->empty()) continue;  // not in these objects (quick kernels: no §5 entry points)
            auto address = jit_->lookup(*dylib, *names[i]);
            if (!address) {
                std::string why = message(address.takeError());
                std::lock_guard<std::mutex> lock(mutex_);
                throw JitError("cannot find '" + *names[i] + "' in the kernels' object: " + why +
                               (last_problem_.empty() ? "" : " (" + last_problem_ + ")"));
            }
            slots[i]->store(address->template toPtr<void*>());
        }
        return kernels;
    }

private:
    // Removes the code when the last handle goes.
    struct Linked : LinkedKernels {
        Linked(llvm::orc::ExecutionSession& s, llvm::orc::JITDylib& d) : session(s), dylib(d) {}
        ~Linked() override { llvm::consumeError(session.removeJITDylib(dylib)); }
        llvm::orc::ExecutionSession& session;
        llvm::orc::JITDylib& dylib;
    };
    std::unique_ptr<llvm::orc::LLJIT> jit_;
    std::mutex mutex_;
    uint64_t count_ = 0;
    std::string last_problem_;
};

Session& session(const Target& target) {
    static std::mutex mutex;
    // Never destroyed: kernels (and the JIT holding their code) live to the process's end.
    static auto* sessions = new std::map<std::pair<std::string, std::string>, std::unique_ptr<Session>>();
    std::lock_guard<std::mutex> lock(mutex);
    auto& s = (*sessions)[{target.cpu, target.features}];
    if (!s) s = std::make_unique<Session>(target);
    return *s;
}

}  // namespace

std::string compile_to_object(llvm::Module& module, const Target& target, PhaseTimes* times, int level,
                              bool optimize_ir) {
    using clock = std::chrono::steady_clock;
    auto start = clock::now();
    auto machine = machines().lend(target, level < 0 ? codegen_level() : static_cast<llvm::CodeGenOptLevel>(level));
    prepare(module, *machine);
    if (optimize_ir) optimize(module, *machine);
    auto optimized = clock::now();
    std::string object = emit(module, *machine, llvm::CodeGenFileType::ObjectFile);
    if (times) {
        times->optimize = std::chrono::duration<double, std::milli>(optimized - start).count();
        times->codegen = std::chrono::duration<double, std::milli>(clock::now() - optimized).count();
    }
    return object;
}

std::string optimized_ir(llvm::Module& module, const Target& target) {
    auto machine = machine_for(target, codegen_level());
    prepare(module, *machine);
    optimize(module, *machine);
    std::string text;
    llvm::raw_string_ostream out(text);
    module.print(out, nullptr);
    return text;
}

std::string assembly(llvm::Module& module, const Target& target) {
    auto machine = machine_for(target, codegen_level());
    prepare(module, *machine);
    optimize(module, *machine);
    return emit(module, *machine, llvm::CodeGenFileType::AssemblyFile);
}

std::shared_ptr<LinkedKernels> link(const std::vector<std::string>& objects, const KernelSymbols& symbols,
                                    const Target& target) {
    return session(target).link(objects, symbols);
}

}  // namespace actjit::jit

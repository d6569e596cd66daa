#include "kernels.hpp"

#include <chrono>
#include <condition_variable>
#include <exception>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include <fmt/format.h>
#include <llvm/Config/llvm-config.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/raw_ostream.h>
#include <unistd.h>
#include <xxhash.h>

#include "compiler/threads.hpp"
#include "error.hpp"
#include "codegen_id.hpp"
#include "optimize.hpp"

namespace actjit::jit {

namespace {

// ---- the key --------------------------------------------------------------------

// The key of a kernel set, in memory and on disk: the kernel graph (its structural hash),
// the signature, the options, the target, and the build of the code generator (a hash
// of its sources, cmake/codegen-id.cmake) with its pass pipeline and LLVM's version, so
// that an object made by another build is never taken for this one's. It costs no IR.
std::string key_of(const Gradient& g, const FunctionInfo& signature, const KernelOptions& options,
                   const Target& target) {
    std::vector<Expr> roots{g.value};
    for (const Derivative& d : g.derivatives) roots.push_back(d.expr);
    std::string text = fmt::format("actjit {} codegen {} pipeline {} codegen-level {} llvm {} graph {:016x} inputs {} params",
                                   ACTJIT_VERSION, ACTJIT_CODEGEN_ID, pipeline(), codegen_level_name(),
                                   LLVM_VERSION_STRING, structural_hash(roots), signature.inputs.size());
    for (const ParameterInfo& p : signature.parameters) text += p.learn ? " learn" : " fixed";
    text += fmt::format(" dtype {}{} mode {} cpu {} features {} vector {} streaming {} unroll {} prefetch {} shifted {}", options.f32 ? "f32" : "f64",
                        options.f32 && options.fast ? " fast" : "",
                        options.inference ? "inference" : "training", target.cpu, target.features,
                        target.vector_bits, streaming_threshold(), unroll_depth(), prefetch_distance(), shifted_loads());
    return fmt::format("{:016x}", XXH3_64bits(text.data(), text.size()));
}

// ---- the disk cache -----------------------------------------------------------------
// A file is "ACTJITO2", the count of objects, then per object its size and its XXH3
// hash (8 bytes each, little endian) and its bytes. Written to a temporary name and
// renamed, so a reader sees a whole file or none; a file whose sizes or hashes disagree
// is removed and rebuilt.

constexpr char magic[8] = {'A', 'C', 'T', 'J', 'I', 'T', 'O', '2'};


std::optional<std::vector<std::string>> read_objects(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return std::nullopt;
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto bad = [&]() -> std::optional<std::vector<std::string>> {
        std::error_code ignored;
        std::filesystem::remove(file, ignored);
        return std::nullopt;
    };
    auto word = [&](size_t at) {
        uint64_t v = 0;
        std::memcpy(&v, bytes.data() + at, 8);
        return v;
    };
    if (bytes.size() < 16 || std::memcmp(bytes.data(), magic, 8) != 0) return bad();
    uint64_t count = word(8);
    size_t at = 16;
    std::vector<std::string> objects;
    for (uint64_t k = 0; k < count; ++k) {
        if (bytes.size() - at < 16) return bad();
        uint64_t size = word(at), hash = word(at + 8);
        at += 16;
        if (size > bytes.size() - at || XXH3_64bits(bytes.data() + at, size) != hash) return bad();
        objects.push_back(bytes.substr(at, size));
        at += size;
    }
    if (at != bytes.size() || objects.empty()) return bad();
    return objects;
}

void write_objects(const std::filesystem::path& file, const std::vector<std::string>& objects) {
    std::error_code error;
    std::filesystem::create_directories(file.parent_path(), error);
    if (error) return;  // no cache then; the kernels still work
    std::ostringstream unique;
    unique << file.string() << ".tmp." << ::getpid() << "." << std::this_thread::get_id();
    std::filesystem::path temporary = unique.str();
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        if (!out) return;
        auto word = [&](uint64_t v) { out.write(reinterpret_cast<const char*>(&v), 8); };
        out.write(magic, 8);
        word(objects.size());
        for (const std::string& object : objects) {
            word(object.size());
            word(XXH3_64bits(object.data(), object.size()));
            out.write(object.data(), static_cast<std::streamsize>(object.size()));
        }
        if (!out) {
            out.close();
            std::filesystem::remove(temporary, error);
            return;
        }
    }
    std::filesystem::rename(temporary, file, error);
    if (error) std::filesystem::remove(temporary, error);
}

// ---- the memory cache -----------------------------------------------------------------

std::mutex memory_mutex;
std::map<std::string, std::shared_ptr<LinkedKernels>>& memory() {
    static auto* kernels = new std::map<std::string, std::shared_ptr<LinkedKernels>>();  // lives to exit
    return *kernels;
}

// The forward and the backward kernels are compiled in parallel, each in a module (and
// an LLVMContext) of its own: the cold compile takes the longer of the two, not their
// sum. ACTJIT_PARALLEL_COMPILE=off compiles them one after the other (to measure it).
bool parallel_compile() {
    static const bool parallel = [] {
        const char* chosen = std::getenv("ACTJIT_PARALLEL_COMPILE");
        return !(chosen && std::string_view(chosen) == "off");
    }();
    return parallel;
}

struct Built {
    std::string object;
    PhaseTimes phases;
};

Built build(const Gradient& g, const FunctionInfo& signature, const KernelOptions& options, const Target& target,
            const std::string& base, Part part, bool quick) {
    using clock = std::chrono::steady_clock;
    auto start = clock::now();
    Built built;
    llvm::LLVMContext context;
    KernelOptions chosen = options;
    chosen.quick = quick;
    std::unique_ptr<llvm::Module> module = codegen(context, g, signature, chosen, target, base, part);
    built.phases.generate = std::chrono::duration<double, std::milli>(clock::now() - start).count();
    // A quick kernel: no pass pipeline, the code generator's level 0.
    built.object = quick ? compile_to_object(*module, target, &built.phases, 0, /*optimize_ir=*/false)
                         : compile_to_object(*module, target, &built.phases);
    return built;
}

// Forward and backward, on two threads unless ACTJIT_PARALLEL_COMPILE=off: this one
// takes the backward, the longer, and the other (started on another CPU:
// compiler/threads.hpp) the forward and then `meanwhile`.
std::vector<std::string> build_both(const Gradient& g, const FunctionInfo& signature, const KernelOptions& options,
                                    const Target& target, const std::string& base, PhaseTimes& phases, bool quick = false,
                                    const std::function<void()>& meanwhile = {}) {
    Built forward, backward;
    if (parallel_compile()) {
        std::exception_ptr failure;
        Thread other([&] {
            try {
                forward = build(g, signature, options, target, base, Part::Forward, quick);
                if (meanwhile) meanwhile();
            } catch (...) {
                failure = std::current_exception();
            }
        });
        try {
            backward = build(g, signature, options, target, base, Part::Backward, quick);
        } catch (...) {
            other.join();
            throw;
        }
        other.join();
        if (failure) std::rethrow_exception(failure);
    } else {
        forward = build(g, signature, options, target, base, Part::Forward, quick);
        backward = build(g, signature, options, target, base, Part::Backward, quick);
        if (meanwhile) meanwhile();
    }
    // Each phase's time summed over the two (so, CPU time when they ran in parallel).
    phases.generate = forward.phases.generate + backward.phases.generate;
    phases.optimize = forward.phases.optimize + backward.phases.optimize;
    phases.codegen = forward.phases.codegen + backward.phases.codegen;
    return {std::move(forward.object), std::move(backward.object)};
}

// ---- tiered compilation ------------------------------------------------------------

std::mutex background_mutex;
std::condition_variable background_done;
int background_pending = 0;

// Level-0 kernels first; upgrade() swaps in the optimized ones. Both stay alive as long
// as this does (a caller may be inside the first when the second arrives).
class Tiered : public LinkedKernels {
public:
    explicit Tiered(std::shared_ptr<LinkedKernels> first) : first_(std::move(first)) { take(*first_); }
    void upgrade(std::shared_ptr<LinkedKernels> better) {
        take(*better);
        std::lock_guard<std::mutex> lock(mutex_);
        better_ = std::move(better);
    }

private:
    void take(const LinkedKernels& k) {
        forward.store(k.forward.load());
        backward.store(k.backward.load());
        forward_packed.store(k.forward_packed.load());
        backward_packed.store(k.backward_packed.load());
    }
    std::shared_ptr<LinkedKernels> first_, better_;
    std::mutex mutex_;
};

// A module with its own context, to be compiled on another thread.
struct Generated {
    std::unique_ptr<llvm::LLVMContext> context = std::make_unique<llvm::LLVMContext>();
    std::unique_ptr<llvm::Module> module;
};

// The optimized modules, generated while the quick kernels compile: the graph they come
// from may not outlive compile_kernels.
using Modules = std::shared_ptr<std::vector<Generated>>;
Modules generate_optimized(const Gradient& g, const FunctionInfo& signature, const KernelOptions& options,
                           const Target& target, const std::string& base) {
    auto modules = std::make_shared<std::vector<Generated>>(2);
    (*modules)[0].module = codegen(*(*modules)[0].context, g, signature, options, target, base, Part::Forward);
    (*modules)[1].module = codegen(*(*modules)[1].context, g, signature, options, target, base, Part::Backward);
    return modules;
}

// Compiles the optimized kernels on a background thread and swaps them into `tiered`.
void upgrade_in_background(std::shared_ptr<Tiered> tiered, Modules modules, const Target& target,
                           const KernelSymbols& symbols, std::filesystem::path file) {
    {
        std::lock_guard<std::mutex> lock(background_mutex);
        static bool registered = false;
        if (!registered) std::atexit(finish_compiling);  // no compilation left running at exit
        registered = true;
        ++background_pending;
    }
    Thread([tiered, modules, target, symbols, file] {
        try {
            std::vector<std::string> objects;
            for (Generated& m : *modules) objects.push_back(compile_to_object(*m.module, target));
            modules->clear();
            if (!file.empty()) write_objects(file, objects);
            tiered->upgrade(link(objects, symbols, target));
        } catch (...) {
            // The level-0 kernels stay: correct, a little slower.
        }
        std::lock_guard<std::mutex> lock(background_mutex);
        if (--background_pending == 0) background_done.notify_all();
    }).detach();
}

}  // namespace

std::filesystem::path cache_directory(const CacheOptions& cache) {
    if (!cache.directory.empty()) return cache.directory;
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return std::filesystem::path(xdg) / "actjit";
    if (const char* home = std::getenv("HOME"); home && *home) return std::filesystem::path(home) / ".cache" / "actjit";
    return {};
}

CacheOptions default_cache_options() {
    CacheOptions c;
    if (const char* env = std::getenv("ACTJIT_CACHE"); env && std::string_view(env) == "off") c.memory = c.disk = false;
    const char* tiered = std::getenv("ACTJIT_TIERED");
    c.tiered = !(tiered && std::string_view(tiered) == "off");
    return c;
}

void finish_compiling() {
    std::unique_lock<std::mutex> lock(background_mutex);
    background_done.wait(lock, [] { return background_pending == 0; });
}

std::shared_ptr<LinkedKernels> compile_kernels(const Gradient& g, const FunctionInfo& signature,
                                               const KernelOptions& options, const Target& target,
                                               const CacheOptions& cache, CompileReport* report) {
    using clock = std::chrono::steady_clock;
    auto start = clock::now();
    PhaseTimes phases;
    auto since = [](clock::time_point t) { return std::chrono::duration<double, std::milli>(clock::now() - t).count(); };
    auto finish = [&](CompileReport::Source source, std::shared_ptr<LinkedKernels> k) {
        if (report) {
            report->source = source;
            report->milliseconds = since(start);
            report->phases = phases;
        }
        return k;
    };
    std::string key = key_of(g, signature, options, target);
    std::string base = "actjit_" + key;
    KernelSymbols symbols = kernel_symbols(base);
    if (cache.memory) {
        std::lock_guard<std::mutex> lock(memory_mutex);
        if (auto it = memory().find(key); it != memory().end()) return finish(CompileReport::Source::Memory, it->second);
    }
    auto remember = [&](std::shared_ptr<LinkedKernels> k) {
        if (!cache.memory) return k;
        std::lock_guard<std::mutex> lock(memory_mutex);
        return memory().emplace(key, std::move(k)).first->second;  // a racing thread's entry wins
    };
    auto phase = clock::now();
    std::filesystem::path file;
    if (cache.disk)
        if (std::filesystem::path directory = cache_directory(cache); !directory.empty()) file = directory / (key + ".o");
    if (!file.empty()) {
        if (std::optional<std::vector<std::string>> objects = read_objects(file)) {
            phases.key = since(phase);
            try {
                phase = clock::now();
                auto linked = link(*objects, symbols, target);
                phases.link = since(phase);
                return finish(CompileReport::Source::Disk, remember(std::move(linked)));
            } catch (const JitError&) {
                std::error_code ignored;
                std::filesystem::remove(file, ignored);  // unusable: rebuilt below
            }
        }
    }
    phases.key = since(phase);
    if (cache.tiered) {
        Modules optimized;
        std::vector<std::string> quick = build_both(g, signature, options, target, base, phases, /*quick=*/true,
                                                    [&] { optimized = generate_optimized(g, signature, options, target, base); });
        phase = clock::now();
        KernelSymbols packed_only = symbols;
        packed_only.forward.clear();
        packed_only.backward.clear();
        auto tiered = std::make_shared<Tiered>(link(quick, packed_only, target));
        phases.link = since(phase);
        auto kept = remember(tiered);
        if (kept == tiered) upgrade_in_background(tiered, std::move(optimized), target, symbols, file);
        return finish(CompileReport::Source::Tiered, std::move(kept));
    }
    std::vector<std::string> objects = build_both(g, signature, options, target, base, phases);
    if (!file.empty()) write_objects(file, objects);
    phase = clock::now();
    auto linked = link(objects, symbols, target);
    phases.link = since(phase);
    return finish(CompileReport::Source::Compiled, remember(std::move(linked)));
}

std::string kernel_key(const Gradient& g, const FunctionInfo& signature, const KernelOptions& options,
                       const Target& target) {
    return key_of(g, signature, options, target);
}

std::string kernel_ir(const Gradient& g, const FunctionInfo& signature, const KernelOptions& options,
                      const Target& target) {
    llvm::LLVMContext context;
    auto module = codegen(context, g, signature, options, target, signature.name);
    return optimized_ir(*module, target);
}

std::string kernel_assembly(const Gradient& g, const FunctionInfo& signature, const KernelOptions& options,
                            const Target& target) {
    llvm::LLVMContext context;
    auto module = codegen(context, g, signature, options, target, signature.name);
    return assembly(*module, target);
}

}  // namespace actjit::jit

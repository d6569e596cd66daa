#include "kernels.hpp"

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
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
    text += fmt::format(" dtype {} mode {} cpu {} features {} streaming {}", options.f32 ? "f32" : "f64",
                        options.inference ? "inference" : "training", target.cpu, target.features,
                        streaming_threshold());
    return fmt::format("{:016x}", XXH3_64bits(text.data(), text.size()));
}

// ---- the disk cache -----------------------------------------------------------------
// A file is "ACTJITO1", the object's size and its XXH3 hash (8 bytes each, little
// endian), then the object. Written to a temporary name and renamed, so a reader sees a
// whole file or none; a file whose size or hash disagrees is removed and rebuilt.

constexpr char magic[8] = {'A', 'C', 'T', 'J', 'I', 'T', 'O', '1'};

std::filesystem::path cache_directory(const CacheOptions& cache) {
    if (!cache.directory.empty()) return cache.directory;
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return std::filesystem::path(xdg) / "actjit";
    if (const char* home = std::getenv("HOME"); home && *home) return std::filesystem::path(home) / ".cache" / "actjit";
    return {};
}

std::optional<std::string> read_object(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return std::nullopt;
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto bad = [&]() -> std::optional<std::string> {
        std::error_code ignored;
        std::filesystem::remove(file, ignored);
        return std::nullopt;
    };
    if (bytes.size() < 24 || std::memcmp(bytes.data(), magic, 8) != 0) return bad();
    uint64_t size = 0, hash = 0;
    std::memcpy(&size, bytes.data() + 8, 8);
    std::memcpy(&hash, bytes.data() + 16, 8);
    if (size != bytes.size() - 24 || XXH3_64bits(bytes.data() + 24, size) != hash) return bad();
    return bytes.substr(24);
}

void write_object(const std::filesystem::path& file, const std::string& object) {
    std::error_code error;
    std::filesystem::create_directories(file.parent_path(), error);
    if (error) return;  // no cache then; the kernels still work
    std::ostringstream unique;
    unique << file.string() << ".tmp." << ::getpid() << "." << std::this_thread::get_id();
    std::filesystem::path temporary = unique.str();
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        if (!out) return;
        uint64_t size = object.size(), hash = XXH3_64bits(object.data(), object.size());
        out.write(magic, 8);
        out.write(reinterpret_cast<const char*>(&size), 8);
        out.write(reinterpret_cast<const char*>(&hash), 8);
        out.write(object.data(), static_cast<std::streamsize>(object.size()));
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

std::unique_ptr<llvm::Module> generate(llvm::LLVMContext& context, const Gradient& g, const FunctionInfo& signature,
                                       const KernelOptions& options, const Target& target, const std::string& base) {
    return codegen(context, g, signature, options, target, base);
}

}  // namespace

CacheOptions default_cache_options() {
    CacheOptions c;
    if (const char* env = std::getenv("ACTJIT_CACHE"); env && std::string_view(env) == "off") c.memory = c.disk = false;
    return c;
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
        if (std::optional<std::string> object = read_object(file)) {
            phases.key = since(phase);
            try {
                phase = clock::now();
                auto linked = link(*object, symbols, target);
                phases.link = since(phase);
                return finish(CompileReport::Source::Disk, remember(std::move(linked)));
            } catch (const JitError&) {
                std::error_code ignored;
                std::filesystem::remove(file, ignored);  // unusable: rebuilt below
            }
        }
    }
    phases.key = since(phase);
    phase = clock::now();
    llvm::LLVMContext context;
    std::unique_ptr<llvm::Module> module = generate(context, g, signature, options, target, base);
    phases.generate = since(phase);
    std::string object = compile_to_object(*module, target, &phases);
    if (!file.empty()) write_object(file, object);
    phase = clock::now();
    auto linked = link(object, symbols, target);
    phases.link = since(phase);
    return finish(CompileReport::Source::Compiled, remember(std::move(linked)));
}

std::string kernel_ir(const Gradient& g, const FunctionInfo& signature, const KernelOptions& options,
                      const Target& target) {
    llvm::LLVMContext context;
    auto module = generate(context, g, signature, options, target, signature.name);
    return optimized_ir(*module, target);
}

std::string kernel_assembly(const Gradient& g, const FunctionInfo& signature, const KernelOptions& options,
                            const Target& target) {
    llvm::LLVMContext context;
    auto module = generate(context, g, signature, options, target, signature.name);
    return assembly(*module, target);
}

}  // namespace actjit::jit

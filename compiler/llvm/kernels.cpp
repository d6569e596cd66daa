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
#include "optimize.hpp"

namespace actjit::jit {

namespace {

// ---- the key --------------------------------------------------------------------

std::string key_of(const Gradient& g, const FunctionInfo& signature, const KernelOptions& options,
                   const Target& target) {
    std::vector<Expr> roots{g.value};
    for (const Derivative& d : g.derivatives) roots.push_back(d.expr);
    std::string text = fmt::format("actjit {} llvm {} graph {:016x} inputs {} params", ACTJIT_VERSION,
                                   LLVM_VERSION_STRING, structural_hash(roots), signature.inputs.size());
    for (const ParameterInfo& p : signature.parameters) text += p.learn ? " learn" : " fixed";
    text += fmt::format(" dtype {} mode {} cpu {} features {}", options.f32 ? "f32" : "f64",
                        options.inference ? "inference" : "training", target.cpu, target.features);
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
    auto start = std::chrono::steady_clock::now();
    auto finish = [&](CompileReport::Source source, std::shared_ptr<LinkedKernels> k) {
        if (report) {
            report->source = source;
            report->milliseconds =
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
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
    llvm::LLVMContext context;
    std::unique_ptr<llvm::Module> module = generate(context, g, signature, options, target, base);
    std::filesystem::path file;
    if (cache.disk) {
        // On disk, the key is the generated IR itself (with the target and the versions):
        // an object made by an older compiler is never taken for a newer one's.
        std::filesystem::path directory = cache_directory(cache);
        std::string ir;
        llvm::raw_string_ostream out(ir);
        module->print(out, nullptr);
        ir += fmt::format("\ncpu {} features {} llvm {} actjit {} pipeline {}", target.cpu, target.features,
                          LLVM_VERSION_STRING, ACTJIT_VERSION, pipeline_version);
        if (!directory.empty()) file = directory / fmt::format("{:016x}.o", XXH3_64bits(ir.data(), ir.size()));
    }
    if (!file.empty()) {
        if (std::optional<std::string> object = read_object(file)) {
            try {
                return finish(CompileReport::Source::Disk, remember(link(*object, symbols, target)));
            } catch (const JitError&) {
                std::error_code ignored;
                std::filesystem::remove(file, ignored);  // unusable: rebuilt below
            }
        }
    }
    std::string object = compile_to_object(*module, target);
    if (!file.empty()) write_object(file, object);
    return finish(CompileReport::Source::Compiled, remember(link(object, symbols, target)));
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

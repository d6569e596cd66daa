// The kernels' shape and the JIT around them: every array length around the vector
// width (0 included) and 10^6, unaligned and in-place arrays, no write past n, every
// vector path; the NaN policy; the disk cache (a hit, a corrupt entry rebuilt) and 8
// threads compiling and running at once.
#include <doctest/doctest.h>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include <sys/mman.h>
#include <unistd.h>

#include "../../support.hpp"
#include "compiler/interpret.hpp"
#include "compiler/lower.hpp"
#include "jit_fixture.hpp"

using namespace actjit;
using namespace actjit::testing;

namespace {

struct Source {
    Checked checked;
    Program program;
    explicit Source(const std::string& text) : checked(text), program(lower(checked.parsed, checked.module)) {}
    const LoweredFunction& f(const char* name) { return *program.find(name); }
};

const char* definitions =
    "gelu(x) = 0.5 * x * (1 + erf(x / sqrt(2)))\n"
    "relu(x) = max(x, 0)\n"
    "swiglu(a, b) = a / (1 + exp(-a)) * b\n"
    "prelu(x; learn alpha = 0.25) = max(x, alpha * x)\n";

}  // namespace

TEST_CASE("any length, aligned or not, in place or not, gives each element's value and writes nothing past n") {
    Source s(definitions);
    // gelu takes the generic loop; relu, without vector math, the unrolled one first.
    for (const std::string& cpu : test_cpus())
    for (const char* name : {"gelu", "relu"}) {
        CAPTURE(name);
        Kernels<float> k = compile_for<float>(s.program, s.f(name), cpu);
        int w = jit::choose_target(cpu).lanes(true);
        std::vector<float> all(1000);
        for (size_t i = 0; i < all.size(); ++i) all[i] = static_cast<float>(std::sin(0.37 * static_cast<double>(i)) * 6);
        std::vector<float> reference = k.forward({all}, {});
        if (std::string(name) == "relu")  // its value needs no oracle
            for (size_t i = 0; i < all.size(); ++i) CHECK(reference[i] == (all[i] > 0 ? all[i] : 0.0f));
        for (int n : {0, 1, w - 1, w, w + 1, 2 * w + 3, 4 * w, 4 * w + 1, 1000}) {
            std::vector<float> x(all.begin(), all.begin() + n);
            for (size_t skew : {0, 1, 3}) {
                for (bool in_place : {false, true}) {
                    std::vector<float> y = k.forward({x}, {}, 0, skew, in_place);
                    for (int i = 0; i < n; ++i) CHECK(y[static_cast<size_t>(i)] == reference[static_cast<size_t>(i)]);
                }
            }
            // Nothing written past n: a sentinel after the output survives.
            std::vector<float> out(static_cast<size_t>(n) + 1, 12345.f);
            void* arrays[] = {x.data(), out.data()};
            reinterpret_cast<Packed>(k.code->forward_packed.load())(arrays, n, nullptr, 0, 0);
            CHECK(out[static_cast<size_t>(n)] == 12345.f);
        }
    }
}

TEST_CASE("calls from the streaming threshold on give the values of short calls, at any alignment, in place too") {
    Source s(definitions);
    const auto n = static_cast<size_t>(jit::streaming_threshold()) + 37;
    std::vector<float> x(n), dy(n);
    for (size_t i = 0; i < n; ++i) {
        x[i] = static_cast<float>(std::sin(0.001 * static_cast<double>(i)) * 7);
        dy[i] = static_cast<float>(std::cos(0.003 * static_cast<double>(i)));
    }
    for (const std::string& cpu : test_cpus()) {
        for (const char* name : {"relu", "swiglu"}) {
            Kernels<float> k = compile_for<float>(s.program, s.f(name), cpu);
            std::vector<std::vector<float>> xs(k.inputs, x);
            // The reference: the same kernels over short slices (no streaming).
            std::vector<float> value(n);
            std::vector<std::vector<float>> slopes(k.inputs, std::vector<float>(n));
            for (size_t at = 0; at < n; at += 4096) {
                size_t m = std::min<size_t>(4096, n - at);
                std::vector<std::vector<float>> part(k.inputs, std::vector<float>(x.begin() + static_cast<long>(at),
                                                                                  x.begin() + static_cast<long>(at + m)));
                std::vector<float> y = k.forward(part, {});
                std::copy(y.begin(), y.end(), value.begin() + static_cast<long>(at));
                auto d = k.backward(part, std::vector<float>(dy.begin() + static_cast<long>(at),
                                                             dy.begin() + static_cast<long>(at + m)), {});
                for (size_t j = 0; j < k.inputs; ++j) std::copy(d[j].begin(), d[j].end(), slopes[j].begin() + static_cast<long>(at));
            }
            for (size_t skew : {0, 1, 5, 15}) {
                for (bool in_place : {false, true}) {
                    CAPTURE(cpu);
                    CAPTURE(name);
                    CAPTURE(skew);
                    CAPTURE(in_place);
                    std::vector<float> y = k.forward(xs, {}, 0, skew, in_place);
                    CHECK(y == value);
                    auto d = k.backward(xs, dy, {}, 0, skew, in_place);
                    for (size_t j = 0; j < k.inputs; ++j) CHECK(d[j] == slopes[j]);
                }
            }
        }
    }
}

namespace {
// An input array ending where its page does, the next page unreadable: a kernel that
// reads past the array's last element faults.
template <typename T>
struct Guarded {
    size_t bytes = 0;
    char* base = nullptr;
    T* data = nullptr;
    // n elements, `gap` elements before the guard page
    Guarded(const std::vector<T>& values, size_t gap) {
        size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
        size_t used = (values.size() + gap) * sizeof(T);
        bytes = (used + page - 1) / page * page + page;
        base = static_cast<char*>(mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
        REQUIRE(base != MAP_FAILED);
        REQUIRE(mprotect(base + bytes - page, page, PROT_NONE) == 0);
        data = reinterpret_cast<T*>(base + bytes - page) - gap - values.size();
        std::copy(values.begin(), values.end(), data);
    }
    Guarded(const Guarded&) = delete;
    ~Guarded() { munmap(base, bytes); }
};

template <typename T>
void check_offsets(Source& s, bool fast) {
    const char* names[] = {"relu6", "gate"};
    for (const char* name : names) {
        Kernels<T> k = compile_for<T>(s.program, s.f(name), "", false, fast);
        auto packed_forward = reinterpret_cast<Packed>(k.code->forward_packed.load());
        auto packed_backward = reinterpret_cast<Packed>(k.code->backward_packed.load());
        bool gate = std::string(name) == "gate";
        const size_t from = static_cast<size_t>(jit::shift_min_bytes) / sizeof(T);  // (and the 80 before)
        for (size_t n = from - 80; n < from + 80; ++n) {
            std::vector<T> a(n), b(n), dy(n);
            for (size_t i = 0; i < n; ++i) {
                a[i] = static_cast<T>(std::sin(0.71 * static_cast<double>(i) + 0.1) * 8);
                b[i] = static_cast<T>(std::cos(0.13 * static_cast<double>(i)) + 1.5);
                dy[i] = static_cast<T>(0.5 + 0.001 * static_cast<double>(i));
            }
            for (size_t gap : {0, 3}) {
                for (size_t skew : {0, 1, 7}) {
                    CAPTURE(name);
                    CAPTURE(n);
                    CAPTURE(gap);
                    CAPTURE(skew);
                    Guarded<T> ga(a, 0), gb(b, gap), gdy(dy, 5);
                    std::vector<T> y(n + 8), da(n + 8), db(n + 8);
                    std::vector<void*> forward{ga.data};
                    if (gate) forward.push_back(gb.data);
                    forward.push_back(y.data() + skew);
                    packed_forward(forward.data(), static_cast<int64_t>(n), nullptr, 0, 0);
                    std::vector<void*> backward{ga.data};
                    if (gate) backward.push_back(gb.data);
                    backward.push_back(gdy.data);
                    backward.push_back(da.data() + skew);
                    if (gate) backward.push_back(db.data() + skew);
                    T sums[1] = {0};
                    backward.push_back(sums);
                    packed_backward(backward.data(), static_cast<int64_t>(n), nullptr, 0, 0);
                    size_t wrong = 0;
                    for (size_t i = 0; i < n; ++i) {
                        T relu = a[i] > 0 ? a[i] : T(0);
                        if (gate) {
                            wrong += y[skew + i] != relu * b[i];
                            wrong += da[skew + i] != (a[i] > 0 ? dy[i] * b[i] : T(0));
                            wrong += db[skew + i] != dy[i] * relu;
                        } else {
                            wrong += y[skew + i] != std::min(relu, T(6));
                            wrong += da[skew + i] != (a[i] > 0 && a[i] < 6 ? dy[i] : T(0));
                        }
                    }
                    CHECK(wrong == 0);
                }
            }
        }
    }
}

}  // namespace

// The unrolled loop of the memory-bound kernels aligns its first output; with AVX-512
// an input at another offset within a vector is read by whole aligned vectors and a
// permute (codegen.cpp, shifted loads). Every offset of two inputs and of dy against
// the output, every n mod the block, each input ending at an unreadable page.
TEST_CASE("inputs at any offset from the output's give each element's value, reading no byte past an array") {
    Source s("relu6(x) = clamp(x, 0, 6)\ngate(a, b) = max(a, 0) * b\n");
    SUBCASE("f32 fast") { check_offsets<float>(s, true); }
    SUBCASE("f32 accurate") { check_offsets<float>(s, false); }
    SUBCASE("f64") { check_offsets<double>(s, false); }
}


TEST_CASE("10^6 elements in one call agree with the interpreter") {
    Source s(definitions);
    Kernels<double> k = compile_for<double>(s.program, s.f("gelu"), "");
    std::vector<double> x(1'000'000);
    for (size_t i = 0; i < x.size(); ++i) x[i] = -20 + 40 * static_cast<double>(i) / static_cast<double>(x.size());
    std::vector<double> y = k.forward({x}, {});
    Gradient g = gradient(s.program, s.f("gelu"));
    for (size_t i = 0; i < x.size(); i += 997) {
        double in[] = {x[i]};
        CHECK(y[i] == doctest::Approx(interpret(g.value, {in, {}, 0, i, false})).epsilon(1e-14));
    }
}

TEST_CASE("a NaN input makes the value and every derivative NaN; ±0 and ±inf follow the limits") {
    Source s(definitions);
    for (const std::string& cpu : test_cpus()) {
        Kernels<float> k = compile_for<float>(s.program, s.f("swiglu"), cpu);
        std::vector<float> a{NAN, 1, INFINITY, -INFINITY, 0.0f, -0.0f}, b{1, NAN, 2, 2, 2, 2};
        std::vector<float> y = k.forward({a, b}, {});
        std::vector<std::vector<float>> d = k.backward({a, b}, std::vector<float>(6, 1.f), {});
        CHECK(std::isnan(y[0]));
        CHECK(std::isnan(y[1]));
        CHECK(std::isnan(d[0][0]));
        CHECK(std::isnan(d[1][0]));
        CHECK(std::isnan(d[0][1]));
        CHECK(std::isnan(d[1][1]));
        CHECK(y[2] == INFINITY);        // silu(inf) * 2
        CHECK(y[3] == 0.0f);            // silu(-inf) * 2 = -0 * 2
        CHECK(std::signbit(y[3]));
        CHECK(d[0][2] == 2.0f);         // silu'(inf) * 2
        CHECK(d[0][3] == 0.0f);         // silu'(-inf) * 2
        CHECK(y[4] == 0.0f);
        CHECK(d[0][4] == 1.0f);         // silu'(0) = 1/2, times b = 2
        Kernels<float> r = compile_for<float>(s.program, s.f("relu"), cpu);
        std::vector<float> ry = r.forward({{NAN, -0.0f, 0.0f}}, {});
        std::vector<std::vector<float>> rd = r.backward({{NAN, -0.0f, 0.0f}}, {1, 1, 1}, {});
        CHECK(std::isnan(ry[0]));
        CHECK((ry[1] == 0.0f && !std::signbit(ry[1])));  // max(-0, 0): a tie takes b, +0
        CHECK((ry[2] == 0.0f && !std::signbit(ry[2])));
        CHECK(std::isnan(rd[0][0]));  // relu at NaN: slope NaN, not 0 (LANGUAGE.md §4)
        CHECK(rd[0][1] == 0.0f);      // max(x, 0)' at 0 takes b' = 0
        CHECK(rd[0][2] == 0.0f);
    }
}

TEST_CASE("the disk cache: a second compile is a hit, a corrupt or truncated entry is rebuilt") {
    Source s(definitions);
    std::filesystem::path dir = std::filesystem::temp_directory_path() / ("actjit-test-cache-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    jit::CacheOptions disk_only{false, true, dir.string()};
    Gradient g = gradient(s.program, s.f("gelu"));
    jit::Target target = jit::choose_target("");
    jit::CompileReport report;
    auto first = jit::compile_kernels(g, *s.f("gelu").info, {true, false}, target, disk_only, &report);
    CHECK(report.source == jit::CompileReport::Source::Compiled);
    auto second = jit::compile_kernels(g, *s.f("gelu").info, {true, false}, target, disk_only, &report);
    CHECK(report.source == jit::CompileReport::Source::Disk);
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(dir)) files.push_back(e.path());
    REQUIRE(files.size() == 1);
    for (int damage = 0; damage < 2; ++damage) {
        if (damage == 0) {  // one byte flipped in the object
            std::fstream f(files[0], std::ios::in | std::ios::out | std::ios::binary);
            f.seekp(100);
            f.put('\x5a');
        } else {  // truncated
            std::filesystem::resize_file(files[0], std::filesystem::file_size(files[0]) / 2);
        }
        auto again = jit::compile_kernels(g, *s.f("gelu").info, {true, false}, target, disk_only, &report);
        CHECK(report.source == jit::CompileReport::Source::Compiled);
        auto hit = jit::compile_kernels(g, *s.f("gelu").info, {true, false}, target, disk_only, &report);
        CHECK(report.source == jit::CompileReport::Source::Disk);
        // The rebuilt kernels compute what the first ones did.
        float x = 0.7f, y1 = 0, y2 = 0;
        void* a1[] = {&x, &y1};
        void* a2[] = {&x, &y2};
        reinterpret_cast<Packed>(first->forward_packed.load())(a1, 1, nullptr, 0, 0);
        reinterpret_cast<Packed>(hit->forward_packed.load())(a2, 1, nullptr, 0, 0);
        CHECK(y1 == y2);
    }
    // And the memory cache returns the same code without compiling.
    jit::CacheOptions memory_only{true, false, {}};
    auto m1 = jit::compile_kernels(g, *s.f("gelu").info, {true, false}, target, memory_only, &report);
    auto m2 = jit::compile_kernels(g, *s.f("gelu").info, {true, false}, target, memory_only, &report);
    CHECK(report.source == jit::CompileReport::Source::Memory);
    CHECK(m1 == m2);
    std::filesystem::remove_all(dir);
}

TEST_CASE("a tiered compile gives quick kernels, then the optimized ones, with the same values, stored on disk") {
    Source s(definitions);
    Gradient g = gradient(s.program, s.f("gelu"));
    auto dir = std::filesystem::temp_directory_path() / ("actjit-tiered-test-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    jit::Target target = jit::choose_target("");
    jit::CacheOptions tiered{false, true, dir.string(), true};
    jit::CompileReport report;
    auto k = jit::compile_kernels(g, *s.f("gelu").info, {true, false, true}, target, tiered, &report);
    CHECK(report.source == jit::CompileReport::Source::Tiered);
    std::vector<float> x(300), before(300), after(300), direct(300);
    for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(static_cast<double>(i) / 10 - 15);
    void* a[] = {x.data(), before.data()};
    void* first = k->forward_packed.load();
    reinterpret_cast<Packed>(first)(a, 300, nullptr, 0, 0);
    jit::finish_compiling();
    CHECK(k->forward_packed.load() != first);  // swapped
    // The §5 entry points, which quick kernels leave out, came with the optimized ones.
    CHECK(k->forward.load() != nullptr);
    CHECK(k->backward.load() != nullptr);
    a[1] = after.data();
    reinterpret_cast<Packed>(k->forward_packed.load())(a, 300, nullptr, 0, 0);
    auto optimized = jit::compile_kernels(g, *s.f("gelu").info, {true, false, true}, target, {false, false, {}}, &report);
    a[1] = direct.data();
    reinterpret_cast<Packed>(optimized->forward_packed.load())(a, 300, nullptr, 0, 0);
    CHECK(before == after);
    CHECK(after == direct);
    // The optimized objects reached the disk cache: the next process gets them.
    auto hit = jit::compile_kernels(g, *s.f("gelu").info, {true, false, true}, target, tiered, &report);
    CHECK(report.source == jit::CompileReport::Source::Disk);
    CHECK(hit->forward.load() != nullptr);
    std::filesystem::remove_all(dir);
}

TEST_CASE("the tiered compile's first kernels agree bit for bit with the optimized ones, a learned parameter's sum too") {
    // Captured before the upgrade lands: the quick kernels (another lane count, no
    // unrolled loop) against the optimized ones, forward and backward, lengths around
    // both lane counts, values of many magnitudes so that a sum in another order differs.
    Source s(definitions);
    jit::Target target = jit::choose_target("");
    for (const char* name : {"prelu", "gelu"})
    for (bool fast : {false, true}) {
        CAPTURE(name);
        CAPTURE(fast);
        Gradient g = gradient(s.program, s.f(name));
        jit::CompileReport report;
        jit::KernelOptions options{true, false, fast};
        auto k = jit::compile_kernels(g, *s.f(name).info, options, target, {false, false, {}, true}, &report);
        REQUIRE(report.source == jit::CompileReport::Source::Tiered);
        void* quick_forward = k->forward_packed.load();
        void* quick_backward = k->backward_packed.load();
        auto optimized = jit::compile_kernels(g, *s.f(name).info, options, target, {false, false, {}}, &report);
        bool learned = std::string(name) == "prelu";
        float alpha = 0.3f;
        // Last, a sum whose double value depends on the order: -2^60 at element 0, +2^60 at
        // 8, -1 elsewhere. Summed in 16 lanes the -1s of lanes 0 and 8 vanish into 2^60;
        // summed in 8 lanes, 2^60 cancels first and they count.
        for (int n : {1, 7, 8, 9, 15, 16, 17, 23, 24, 40, 333, 1000, -40}) {
            CAPTURE(n);
            bool ordered = n < 0;
            n = std::abs(n);
            std::vector<float> x(static_cast<size_t>(n)), dy(x.size());
            for (size_t i = 0; i < x.size(); ++i) {
                x[i] = static_cast<float>(std::sin(1.7 * static_cast<double>(i)) * std::exp2(static_cast<double>(i % 23) - 9));
                dy[i] = static_cast<float>(std::cos(0.9 * static_cast<double>(i)) * std::exp2(static_cast<double>(i % 19) - 6));
                if (ordered) {
                    x[i] = i == 0 || i == 8 ? -0x1p60f : -1.0f;
                    dy[i] = i == 8 ? -1.0f : 1.0f;
                }
            }
            std::vector<float> y[2], dx[2], dparam[2];
            void* kernels[2][2] = {{quick_forward, quick_backward},
                                   {optimized->forward_packed.load(), optimized->backward_packed.load()}};
            for (int which = 0; which < 2; ++which) {
                y[which].assign(x.size(), 0);
                dx[which].assign(x.size(), 0);
                dparam[which].assign(1, 0);
                void* forward[] = {x.data(), y[which].data()};
                reinterpret_cast<Packed>(kernels[which][0])(forward, n, learned ? &alpha : nullptr, 0, 0);
                void* backward[] = {x.data(), dy.data(), dx[which].data(), dparam[which].data()};
                reinterpret_cast<Packed>(kernels[which][1])(backward, n, learned ? &alpha : nullptr, 0, 0);
            }
            CHECK(y[0] == y[1]);
            CHECK(dx[0] == dx[1]);
            if (learned) {
                CHECK(std::memcmp(dparam[0].data(), dparam[1].data(), sizeof(float)) == 0);
                if (n > 1) CHECK(dparam[0][0] != 0.0f);
            }
        }
        jit::finish_compiling();
    }
}

TEST_CASE("8 threads compile and run kernels at once, and agree with one thread") {
    Source s(definitions);
    // The gradients first: gradient() adds to the graph, which is not shared-writable.
    std::vector<Gradient> grads;
    const char* names[] = {"gelu", "relu", "prelu", "gelu"};
    for (const char* n : names) grads.push_back(gradient(s.program, s.f(n)));
    std::vector<float> x(5000);
    for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(static_cast<double>(i) / 250.0 - 10);
    std::atomic<int> mismatches{0};
    const std::vector<std::string> cpus = test_cpus();
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
        threads.emplace_back([&, t] {
            size_t which = static_cast<size_t>(t % 4);
            jit::CacheOptions fresh{t % 2 == 0, false, {}};  // half compile anew, half share
            auto code = jit::compile_kernels(grads[which], *s.f(names[which]).info, {true, false},
                                             jit::choose_target(cpus[static_cast<size_t>(t) % cpus.size()]), fresh);
            std::vector<float> y(x.size()), again(x.size());
            float params[] = {0.25f};
            void* a[] = {x.data(), y.data()};
            reinterpret_cast<Packed>(code->forward_packed.load())(a, static_cast<int64_t>(x.size()), params, 0, 0);
            for (size_t i = 0; i < x.size(); ++i) {
                double in[] = {x[i]};
                double p[] = {0.25};
                double want = interpret(grads[which].value, {in, p, 0, i, false});
                if (static_cast<float>(want) != y[i] && std::fabs(static_cast<float>(want) - y[i]) > 1e-6f * std::fabs(y[i]))
                    ++mismatches;
            }
        });
    for (std::thread& t : threads) t.join();
    CHECK(mismatches == 0);
}

// sigmoid(a) beside sigmoid(-a), as in every sigmoid's derivative, are computed together
// from one exponential and one division (codegen.cpp): each value must be the one sigmoid
// gives alone, bit for bit, in every precision and on every vector path; -a spelled as a
// negation or as the product with the constant negated.
template <typename T>
void check_sigmoid_pairs(bool fast) {
    Source s("s(x) = 1 / (1 + exp(-x))\n"
             "pick(x) = x > 0 ? 1 / (1 + exp(-x)) : 1 / (1 + exp(x))\n"
             "scaled(x) = x > 0 ? 1 / (1 + exp(-(3 * x))) : 1 / (1 + exp(-(-3 * x)))\n");
    std::vector<T> x;
    for (int e = -150; e <= 7; ++e)
        for (double m : {1.0, 1.3, 1.7, 1.999})
            for (double sign : {1.0, -1.0}) x.push_back(static_cast<T>(sign * std::ldexp(m, e)));
    for (T v : {T(0), T(-0.0), T(INFINITY), T(-INFINITY), T(88.5), T(-88.5), T(103.9), T(-103.9), T(745), T(-745)})
        x.push_back(v);
    // Accurate f32 kernels compute 3 * x in double: only the negation is comparable there.
    const bool products = sizeof(T) == 8 || fast;
    for (const std::string& cpu : test_cpus()) {
        CAPTURE(cpu);
        Kernels<T> single = compile_for<T>(s.program, s.f("s"), cpu, false, fast);
        Kernels<T> pick = compile_for<T>(s.program, s.f("pick"), cpu, false, fast);
        Kernels<T> scaled = compile_for<T>(s.program, s.f("scaled"), cpu, false, fast);
        std::vector<T> minus, three, minus_three;
        for (T v : x) {
            minus.push_back(-v);
            three.push_back(T(3) * v);
            minus_three.push_back(T(-3) * v);
        }
        std::vector<T> s_x = single.forward({x}, {}), s_minus = single.forward({minus}, {});
        std::vector<T> s_three = single.forward({three}, {}), s_minus_three = single.forward({minus_three}, {});
        std::vector<T> p = pick.forward({x}, {}), q = scaled.forward({x}, {});
        int differ = 0;
        for (size_t i = 0; i < x.size(); ++i) {
            T want = x[i] > 0 ? s_x[i] : s_minus[i];
            if (std::memcmp(&p[i], &want, sizeof(T)) != 0 && differ++ < 5)
                MESSAGE("pick(", x[i], ") = ", p[i], ", alone ", want);
            T want3 = x[i] > 0 ? s_three[i] : s_minus_three[i];
            if (products && std::memcmp(&q[i], &want3, sizeof(T)) != 0 && differ++ < 5)
                MESSAGE("scaled(", x[i], ") = ", q[i], ", alone ", want3);
        }
        CHECK(differ == 0);
        // One division in each: the pair shares it.
        jit::KernelOptions options{sizeof(T) == 4, false, fast};
        auto divisions = [&](const char* name) {
            std::string ir = jit::kernel_ir(gradient(s.program, s.f(name)), *s.f(name).info, options, jit::choose_target(cpu));
            size_t count = 0;
            for (size_t at = ir.find("fdiv <"); at != std::string::npos; at = ir.find("fdiv <", at + 1)) ++count;
            return count;
        };
        CHECK(divisions("pick") == divisions("s"));
        CHECK(divisions("scaled") == divisions("s"));
    }
}

TEST_CASE("sigmoid(a) and sigmoid(-a) computed together give what each gives alone, from one division") {
    check_sigmoid_pairs<float>(false);
    check_sigmoid_pairs<float>(true);
    check_sigmoid_pairs<double>(false);
}

// The kernels leave out the NaN policy's select where the arithmetic carries every
// input's NaN to the root by itself (codegen.cpp, carries_nan): so each function must
// pass a NaN on, value and derivative, in every precision and on every path. The last
// two need the select: min takes b for a NaN a, pow(NaN, 0) is 1.
TEST_CASE("every function passes a NaN on, so the NaN policy holds where its select is left out") {
    Source s("f1(x) = exp(x)\nf2(x) = expm1(x)\nf3(x) = log(x)\nf4(x) = log1p(x)\nf5(x) = sqrt(x)\n"
             "f6(x) = tanh(x)\nf7(x) = erf(x)\nf8(x) = erfc(x)\nf9(x) = sin(x)\nf10(x) = cos(x)\n"
             "f11(x) = abs(x) + sign(x)\nf12(x) = 1 / (1 + exp(-x))\nf13(x) = log(1 + exp(x))\n"
             "f14(x) = x * (1 / (1 + exp(-x))) - x / 3\nf15(x, y) = max(x, 0) * y + (x > 0 ? x : -x)\n"
             "f16(x) = min(x, 1) + 1 ^ x\nf17(x) = atan(x)\nf18(x) = sinh(x)\nf19(x) = cosh(x)\n"
             "f20(x) = asinh(x)\n");
    // Every element with a NaN input: value and each derivative NaN.
    auto all_nan = [](auto kernels, size_t k) {
        using T = typename decltype(kernels.forward({}, {}))::value_type;
        std::vector<std::vector<T>> in(k, std::vector<T>{T(NAN), T(-NAN), T(1)});
        if (k == 2) in[1] = {T(1), T(1), T(NAN)};
        std::vector<T> y = kernels.forward(in, {});
        std::vector<std::vector<T>> d = kernels.backward(in, {1, 1, 1}, {});
        for (size_t i = 0; i < 3; ++i) {
            if (!std::isnan(in[0][i]) && (k == 1 || !std::isnan(in[1][i]))) continue;
            CHECK(std::isnan(y[i]));
            for (size_t j = 0; j < k; ++j) CHECK(std::isnan(d[j][i]));
        }
    };
    for (const std::string& cpu : test_cpus())
        for (const LoweredFunction& f : s.program.functions) {
            CAPTURE(cpu);
            CAPTURE(f.info->name);
            size_t k = f.info->inputs.size();
            for (bool fast : {false, true}) all_nan(compile_for<float>(s.program, f, cpu, false, fast), k);
            all_nan(compile_for<double>(s.program, f, cpu), k);
        }
}

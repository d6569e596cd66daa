// Exhaustive accuracy sweep of the fast native-float32 vecmath set (reference_f32.hpp):
// every float32 bit pattern through each function, compared with a double-precision
// evaluation (glibc's double functions: < 1 double ulp, i.e. ~2^-29 float ulp), plus
// special-value checks.  Single-threaded on purpose.
//
//   g++ -O2 -std=c++17 -march=native -ffp-contract=off -o /tmp/sweep_f32
//       tools/vecmath/f32/sweep_f32_native.cpp
//   nice -n 19 /tmp/sweep_f32                  # the set (19 entries, ~40 min)
//   nice -n 19 /tmp/sweep_f32 --all            # also every design variant (~1.5 h)
//   nice -n 19 /tmp/sweep_f32 exp sigmoid      # some of them
//   nice -n 19 /tmp/sweep_f32 --stride 97 exp  # every 97th bit pattern (quick look)
//   /tmp/sweep_f32 --list
//
// Error measure: |got - ref| / ulp(ref), ulp(ref) the float32 ulp at ref's binade
// (2^-149 in the subnormal range; 2^104 at and above 2^128, where +inf counts as 2^128),
// so an inf-vs-FLT_MAX slip shows as an ulp figure and not as a silent pass.  NaN must
// give NaN and only NaN; a zero reference must give zero; odd functions must keep the
// sign of zero.  -ffp-contract=off: only the explicit std::fma calls are fused.
#include "reference_f32.hpp"

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace R = actjit::vecmath::f32fast::ref;

namespace {

float fb(uint32_t i) { float f; std::memcpy(&f, &i, 4); return f; }
uint32_t bf(float f) { uint32_t i; std::memcpy(&i, &f, 4); return i; }

// ------------------------------------------------------------ double references
double d_sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }
double d_silu(double x) { return x == -INFINITY ? -0.0 : x / (1.0 + std::exp(-x)); }  // limit -0 at -inf
double d_softplus(double x) { return std::fmax(x, 0.0) + std::log1p(std::exp(-std::fabs(x))); }
double d_mish(double x) { return x == -INFINITY ? -0.0 : x * std::tanh(d_softplus(x)); }
double d_gelu(double x) { return x == -INFINITY ? -0.0 : 0.5 * x * std::erfc(-x * 0.70710678118654752440); }
double d_gelu_tanh(double x) {
  // 0.5 x (1 + tanh(u)) = x * sigmoid(2u): no cancellation on the left
  if (x == -INFINITY) return -0.0;
  if (x == INFINITY) return x;
  double u = 0.79788456080286535588 * (x + 0.044715 * x * x * x);
  return x / (1.0 + std::exp(-2.0 * u));
}
double d_elu(double x) { return x > 0 ? x : std::expm1(x); }
double d_exp(double x) { return std::exp(x); }
double d_expm1(double x) { return std::expm1(x); }
double d_log(double x) { return std::log(x); }
double d_log1p(double x) { return std::log1p(x); }
double d_tanh(double x) { return std::tanh(x); }
double d_erf(double x) { return std::erf(x); }
double d_erfc(double x) { return std::erfc(x); }
// derivatives, evaluated exactly in double
double d_dsigmoid(double x) { double E = std::exp(-std::fabs(x)); return E / ((1 + E) * (1 + E)); }
double d_dtanh(double x) { double c = std::cosh(x); return std::isinf(c) ? 0.0 : 1.0 / (c * c); }

// derivative formulas as a user computes them from the float results
float f_dsigmoid(float x) { float s = R::sigmoid(x); return s * (1.0f - s); }
float f_dsigmoid2(float x) { return R::sigmoid_lean(x) * R::sigmoid_lean(-x); }
float f_dtanh(float x) { float t = R::tanh(x); return 1.0f - t * t; }
float f_dtanh_fma(float x) { float t = R::tanh(x); return std::fma(-t, t, 1.0f); }

struct Fn {
  const char* name;
  float (*f)(float);
  double (*ref)(double);
  bool odd;          // sign of zero must be kept
  const char* what;
  bool main;         // part of the default run
};

std::vector<Fn> fns() {
  return {
// ---- the set (run by default)
      {"exp", R::exp, d_exp, false, "exp, P degree 6", true},
      {"sigmoid", R::sigmoid_lean, d_sigmoid, false, "sigmoid, as the kernels compute it", true},
      {"silu", R::silu, d_silu, false, "x*sigmoid(x)", true},
      {"tanh", R::tanh, d_tanh, true, "tanh", true},
      {"gelu", R::gelu, d_gelu, true, "gelu (erf)", true},
      {"gelu_tanh", R::gelu_tanh, d_gelu_tanh, true, "gelu, tanh form", true},
      {"softplus", R::softplus, d_softplus, false, "softplus, fused", true},
      {"mish", R::mish, d_mish, false, "mish, fused with E = e^-|x|, one division", true},
      {"mish_fast", R::mish_fast, d_mish, false, "x n/(n+2), n = e(e+2) (fast-library form)", true},
      {"expm1", R::expm1, d_expm1, true, "expm1", true},
      {"elu", R::elu, d_elu, true, "elu (alpha = 1)", true},
      {"log", R::log, d_log, false, "log", true},
      {"log1p", R::log1p, d_log1p, true, "log1p", true},
      {"erf", R::erf, d_erf, true, "erf", true},
      {"erfc", R::erfc, d_erfc, false, "erfc", true},
      {"dsigmoid", f_dsigmoid, d_dsigmoid, false, "s*(1-s) from the float s", true},
      {"dsigmoid2", f_dsigmoid2, d_dsigmoid, false, "sigmoid(x)*sigmoid(-x)", true},
      {"dtanh", f_dtanh, d_dtanh, false, "1 - t*t from the float t", true},
      {"dtanh_fma", f_dtanh_fma, d_dtanh, false, "fma(-t, t, 1) from the float t", true},
      // ---- design variants (--all, or by name)
      {"exp_deg5", R::exp_deg5, d_exp, false, "exp, P degree 5 (variant)", false},
      {"sigmoid_plain", R::sigmoid_plain, d_sigmoid, false, "1/(1+exp(-x)) (variant)", false},
      {"sig_n0p0", R::sigmoid_v<0, 0>, d_sigmoid, false, "variant", false},
      {"sig_n1p0", R::sigmoid_v<1, 0>, d_sigmoid, false, "variant", false},
      {"sig_n2p1", R::sigmoid_v<2, 1>, d_sigmoid, false, "variant", false},
      {"sig_n3p2", R::sigmoid_v<3, 2>, d_sigmoid, false, "variant", false},
      {"sigmoid_fused", R::sigmoid, d_sigmoid, false, "sigmoid, P's rounding carried (variant)", false},
      {"sig_n4p0", R::sigmoid_v<4, 0>, d_sigmoid, false, "variant", false},
      {"sig_n5p0", R::sigmoid_v<5, 0>, d_sigmoid, false, "variant", false},
      {"tanh_acc", R::tanh_acc, d_tanh, true, "tanh, refined q (variant)", false},
      {"gelu_t2", R::gelu_v<2>, d_gelu, true, "gelu (erf), c0 + X (variant)", false},
      {"gelu_t3", R::gelu_v<3>, d_gelu, true, "gelu (erf), c0 + X, R degree 9 (variant)", false},
      {"gelu_t4", R::gelu_v<4>, d_gelu, true, "R9, D cubic (variant)", false},
      {"gelu_t5", R::gelu_v<5>, d_gelu, true, "R9, D cubic, shifted exp (variant)", false},
      {"gelu_t6", R::gelu_v<6>, d_gelu, true, "R8, D quad, shifted exp (variant)", false},
      {"gelu_tanh_plain", R::gelu_tanh_plain, d_gelu_tanh, true, "gelu tanh form, plain-float v (variant)", false},
      {"softplus_plain", R::softplus_plain, d_softplus, false, "max(x,0)+log1p(exp(-|x|)) composed (variant)", false},
      {"mish_comp", R::mish_comp, d_mish, false, "x*tanh(softplus(x)) composed (variant)", false},
      {"gelu_t7", R::gelu_v<7>, d_gelu, true, "R9, D cubic, shifted exp, r + rl (variant)", false},
      {"gelu_t8", R::gelu_v<8>, d_gelu, true, "R8, D quad, shifted exp, r + rl (variant)", false},
      {"gelu_t9", R::gelu_v<9>, d_gelu, true, "R9, D cubic, shift 0.03, r + rl (variant)", false},
      {"gelu_t10", R::gelu_v<10>, d_gelu, true, "R8, D quad, shift 0.03, r + rl (variant)", false},
      {"gelu_t1", R::gelu_v<1>, d_gelu, true, "gelu (erf), t rounded, no correction (variant)", false},
      {"tanh_c0r0", R::tanh_v<0, 0>, d_tanh, true, "variant", false},
      {"tanh_c0r1", R::tanh_v<0, 1>, d_tanh, true, "variant", false},
      {"tanh_c0r2", R::tanh_v<0, 2>, d_tanh, true, "variant", false},
      {"tanh_c1r0", R::tanh_v<1, 0>, d_tanh, true, "variant", false},
      {"tanh_c1r1", R::tanh_v<1, 1>, d_tanh, true, "variant", false},
      {"tanh_c1r2", R::tanh_v<1, 2>, d_tanh, true, "variant", false},
      {"tanh_c2r0", R::tanh_v<2, 0>, d_tanh, true, "variant", false},
      {"tanh_c2r1", R::tanh_v<2, 1>, d_tanh, true, "variant", false},
      {"tanh_c2r2", R::tanh_v<2, 2>, d_tanh, true, "variant", false},
      {"silu_mul", R::silu_mul, d_silu, false, "x*sigmoid(x), plain multiply (variant)", false},
      {"silu_plain", R::silu_plain, d_silu, false, "x/(1+exp(-x)) (variant)", false},
      {"silu_exact", R::silu_exact, d_silu, false, "silu, exact-product variant", false},
      {"silu_norl", R::silu_norl, d_silu, false, "silu without rl (variant)", false},
      {"sigmoid_norl", R::sigmoid_norl, d_sigmoid, false, "sigmoid without rl (variant)", false},

  };
}

double ulp_err(float got, double ref, bool& hard) {
  hard = false;
  if (std::isnan(ref)) { hard = !std::isnan(got); return hard ? INFINITY : 0; }
  if (std::isnan(got)) { hard = true; return INFINITY; }
  if (ref == 0) { hard = got != 0; return hard ? INFINITY : 0; }
  if (std::fabs(ref) >= 0x1p128 - 0x1p103 && std::isinf(got) && (got < 0) == (ref < 0)) return 0;
  if (std::isinf(ref)) { hard = got != float(ref); return hard ? INFINITY : 0; }
  double g = std::isinf(got) ? std::copysign(0x1p128, double(got)) : double(got);
  if ((g < 0) != (ref < 0) && g != 0) { /* wrong sign: still an ulp figure */ }
  double a = std::fabs(ref);
  int e;
  std::frexp(a, &e);                          // a in [2^(e-1), 2^e)
  int ue = (e - 1 > -126 ? e - 1 : -126) - 23;
  if (ue > 104) ue = 104;
  return std::fabs(g - ref) / std::ldexp(1.0, ue);
}

struct Stats {
  double worst = 0;
  float worst_x = 0;
  float worst_got = 0;
  double worst_ref = 0;
  uint64_t n = 0, over1 = 0, over15 = 0, over05 = 0, hard = 0;
  uint64_t hist[8] = {};   // [0,.5) [.5,.75) [.75,1) [1,1.25) [1.25,1.5) [1.5,2) [2,4) [4,inf)
};

double g_lo = -INFINITY, g_hi = INFINITY;   // --range lo hi: only x in [lo, hi] (NaN skipped)

void sweep(const Fn& fn, uint64_t stride, Stats& st) {
  bool ranged = g_lo != -INFINITY || g_hi != INFINITY;
  for (uint64_t b = 0; b < (1ull << 32); b += stride) {
    float x = fb(uint32_t(b));
    if (ranged && !(x >= g_lo && x <= g_hi)) continue;
    float got = fn.f(x);
    double ref = fn.ref(double(x));
    bool hard;
    double e = ulp_err(got, ref, hard);
    if (fn.odd && x == 0 && (std::signbit(got) != std::signbit(x) || got != 0)) hard = true;
    ++st.n;
    if (hard) {
      if (st.hard++ < 6)
        std::printf("    %s(%a) = %a, reference %a: wrong special value\n", fn.name, x, got, ref);
      continue;
    }
    if (e > 1) ++st.over1;
    if (e > 1.5) ++st.over15;
    if (e > 0.5) ++st.over05;
    int h = e < 0.5 ? 0 : e < 0.75 ? 1 : e < 1 ? 2 : e < 1.25 ? 3 : e < 1.5 ? 4 : e < 2 ? 5 : e < 4 ? 6 : 7;
    ++st.hist[h];
    if (e > st.worst) { st.worst = e; st.worst_x = x; st.worst_got = got; st.worst_ref = ref; }
  }
}

// special values: exact expectations (bitwise, NaN = any NaN)
int specials(const Fn& fn) {
  const float xs[] = {0.0f, -0.0f, INFINITY, -INFINITY, NAN, -NAN, FLT_MIN, -FLT_MIN,
                      0x1p-149f, -0x1p-149f, FLT_MAX, -FLT_MAX, 1.0f, -1.0f};
  int bad = 0;
  for (float x : xs) {
    float got = fn.f(x);
    double ref = fn.ref(double(x));
    float want = float(ref);
    bool ok;
    if (std::isnan(want)) ok = std::isnan(got);
    else if (want == 0 || std::isinf(want)) ok = bf(got) == bf(want) || (!fn.odd && want == 0 && got == 0 && x != 0 && !std::signbit(got) == !std::signbit(want));
    else {
      bool h;
      ok = ulp_err(got, ref, h) <= 1.5 && !h;
    }
    // odd functions: f(-0) = -0 exactly
    if (fn.odd && x == 0) ok = bf(got) == bf(x);
    if (!ok) {
      ++bad;
      std::printf("    special %s(%a) = %a, want %a\n", fn.name, x, got, want);
    }
  }
  return bad;
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t stride = 1;
  bool all = false;
  std::vector<std::string> want;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--stride") && i + 1 < argc) stride = std::strtoull(argv[++i], nullptr, 10);
    else if (!std::strcmp(argv[i], "--range") && i + 2 < argc) {
      g_lo = std::strtod(argv[i + 1], nullptr);
      g_hi = std::strtod(argv[i + 2], nullptr);
      i += 2;
    }
    else if (!std::strcmp(argv[i], "--all")) all = true;
    else if (!std::strcmp(argv[i], "--list")) {
      for (const Fn& f : fns()) std::printf("%-14s %s\n", f.name, f.what);
      return 0;
    } else want.push_back(argv[i]);
  }
  std::printf("%-13s %9s  %-16s %-14s %-14s %10s %10s %9s %5s %5s  histogram [0,.5) [.5,.75) [.75,1) [1,1.25) [1.25,1.5) [1.5,2) [2,4) [4,)\n",
              "function", "max ulp", "at x", "got", "reference", ">0.5ulp", ">1ulp", ">1.5ulp", "hard", "spec");
  for (const Fn& fn : fns()) {
    bool on = want.empty() && (all || fn.main);
    for (auto& w : want) on |= w == fn.name;
    if (!on) continue;
    Stats st;
    sweep(fn, stride, st);
    int sp = specials(fn);
    std::printf("%-13s %9.4f  %-16a %-14a %-14a %10llu %10llu %9llu %5llu %5d  ", fn.name, st.worst,
                st.worst_x, st.worst_got, st.worst_ref, (unsigned long long)st.over05,
                (unsigned long long)st.over1, (unsigned long long)st.over15,
                (unsigned long long)st.hard, sp);
    for (uint64_t h : st.hist) std::printf(" %llu", (unsigned long long)h);
    std::printf("   (%.9g)\n", st.worst_x);
    std::fflush(stdout);
  }
  return 0;
}

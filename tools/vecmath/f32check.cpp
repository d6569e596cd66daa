// Exhaustive check of the native float32 vecmath algorithms over all 2^32 inputs.
// The functions below transcribe reference.py's f32_* functions operation for
// operation (float ops, std::fma on floats); coefficients come from the header.
// Reference: glibc's double exp/log/tanh/erf (errors below 1 double ulp), so the
// measured float-ulp error is exact to about 2^-28 ulp.
//
//   g++ -O2 -std=c++17 -ffp-contract=off -o /tmp/f32check tools/vecmath/f32check.cpp
//   /tmp/f32check            # all five functions, prints max ulp and counts
//   /tmp/f32check exp tanh   # some of them
#include "../../compiler/llvm/vecmath/coefficients.hpp"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>


using namespace actjit::vecmath;

namespace {

float fbits_to(uint32_t i) { float f; std::memcpy(&f, &i, 4); return f; }
int32_t to_fbits(float f) { int32_t i; std::memcpy(&i, &f, 4); return i; }
float fpow2i(int k) { return fbits_to(uint32_t(k + 127) << 23); }
float fscale(float y, int k) { int k1 = k >> 1; return (y * fpow2i(k1)) * fpow2i(k - k1); }
float sel(bool c, float a, float b) { return c ? a : b; }

template <size_t N> float horner(const float (&c)[N], float z) {
  float p = c[N - 1];
  for (size_t i = N - 1; i-- > 0;) p = std::fma(p, z, c[i]);
  return p;
}

void fast_two_sum(float a, float b, float& s, float& e) { s = a + b; e = b - (s - a); }
void two_sum(float a, float b, float& s, float& e) {
  s = a + b; float bb = s - a; e = (a - (s - bb)) + (b - bb);
}

void exp_core(float x, float xl, int& k, float& s, float& lo) {
  float kf = std::nearbyint(x * inv_ln2_f32);
  float rh = std::fma(-kf, ln2_hi_f32, x);
  float r = std::fma(-kf, ln2_lo_f32, rh);
  float rl = std::fma(-kf, ln2_lo_f32, rh - r) + xl;
  float p = horner(exp_f32, r);
  float q = std::fma(r * r, p, rl * (1.0f + r));
  float e;
  fast_two_sum(1.0f, r, s, e);
  fast_two_sum(s, e + q, s, lo);
  k = int(kf);
}

float f32_exp(float x) {
  float xc = sel(x > -105.0f, x, -105.0f);
  xc = sel(xc < 90.0f, xc, 90.0f);
  int k; float s, lo;
  exp_core(xc, 0.0f, k, s, lo);
  float r = fscale(s + lo, k);
  r = sel(x > exp_overflow_f32, INFINITY, r);
  r = sel(x < exp_underflow_f32, 0.0f, r);
  return sel(x != x, x, r);
}

float f32_log(float x) {
  bool sub = x < 0x1p-126f;
  float u = sel(sub, x * 0x1p23f, x);
  int kadd = sub ? -23 : 0;
  bool ok = x > 0 && x < INFINITY;
  u = sel(ok, u, 1.0f);
  int32_t ix = to_fbits(u);
  int32_t k = (ix - 0x3F3504F3) >> 23;
  float m = fbits_to(uint32_t(ix - (k << 23)));
  float f = m - 1.0f;
  float p = horner(log_f32, f);
  float f2h = f * f;
  float f2l = std::fma(f, f, -f2h);
  float K = float(k + kadd);
  float s, e;
  two_sum(K * ln2_hi_f32, f, s, e);
  float inner = std::fma(f2h, p, std::fma(f2l, p, K * ln2_lo_f32));
  float r = s + (e + inner);
  r = sel(x == 0, -INFINITY, r);
  r = sel(x < 0, NAN, r);
  r = sel(x == INFINITY, INFINITY, r);
  return sel(x != x, x, r);
}

float f32_tanh(float x) {
  float a = std::fabs(x);
  float z = a * a;
  float small = std::fma(a * z, horner(tanh_f32, z), a);
  float ac = sel(a < 9.5f, a, 9.5f);
  int k; float s, lo;
  exp_core(2.0f * ac, 0.0f, k, s, lo);
  float T = fpow2i(k);
  float eh = T * s, el = T * lo;
  float dh, d1;
  fast_two_sum(eh, 1.0f, dh, d1);
  float dl = d1 + el;
  float qh = 2.0f / dh;
  float rem = std::fma(-qh, dh, 2.0f) - qh * dl;
  float ql = rem * (0.5f * qh);
  float th, t1;
  fast_two_sum(1.0f, -qh, th, t1);
  float big = th + (t1 - ql);
  float r = sel(a < 0.25f, small, big);
  r = sel(a >= tanh_one_f32, 1.0f, r);
  r = std::copysign(r, x);
  return sel(x != x, x, r);
}

float f32_sigmoid(float x) {
  float a = std::fabs(x);
  float ac = sel(a < 105.0f, a, 105.0f);
  int k; float s, lo;
  exp_core(-ac, 0.0f, k, s, lo);
  float T = fpow2i(k > -60 ? k : -60);
  float eh = T * s, el = T * lo;
  float dh, d1;
  fast_two_sum(1.0f, eh, dh, d1);
  float dl = d1 + el;
  float qh = 1.0f / dh;
  float rem = std::fma(-qh, dh, 1.0f) - qh * dl;
  float ql = rem * qh;
  float pos = qh + ql;
  float ph = s * qh;
  float pl = std::fma(s, qh, -ph) + (s * ql + lo * qh);
  float neg = fscale(ph + pl, k);
  float r = sel(x < 0, neg, pos);
  r = sel(x >= sigmoid_one_f32, 1.0f, r);
  r = sel(x < sigmoid_underflow_f32, 0.0f, r);
  return sel(x != x, x, r);
}

float f32_erf(float x) {
  float a = std::fabs(x);
  bool tiny = a < 0x1p-60f;
  float xs = sel(tiny, x * 0x1p40f, x);
  float z = xs * xs;
  float small = std::fma(xs, horner(erf_f32, z), xs);
  small = sel(tiny, small * 0x1p-40f, small);
  float ac = sel(a > 0.875f, a, 0.875f);
  ac = sel(ac < 3.93f, ac, 3.93f);
  float h = ac * ac;
  float hl = std::fma(ac, ac, -h);
  int k; float s, lo;
  exp_core(-h, -hl, k, s, lo);
  float T = fpow2i(k);
  float d = ac - erf_c_f32;
  constexpr int ng = sizeof(erfc_f32) / sizeof(float);
  float p1 = erfc_f32[ng - 1];
  for (int i = ng - 2; i >= 1; --i) p1 = std::fma(p1, d, erfc_f32[i]);
  float gp = d * p1;
  float gpe = std::fma(d, p1, -gp);
  float gh, ge;
  two_sum(erfc_f32[0], gp, gh, ge);
  float gl = ge + gpe;
  float sT = s * T;
  float p = sT * gh;
  float pe = std::fma(sT, gh, -p);
  float corr = pe + (sT * gl + (lo * T) * gh);
  float h1, e1;
  fast_two_sum(1.0f, -p, h1, e1);
  float big = h1 + (e1 - corr);
  float r = sel(a < 0.875f, small, std::copysign(big, x));
  r = sel(a >= erf_one_f32, std::copysign(1.0f, x), r);
  return sel(x != x, x, r);
}

double ref_sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

struct Fn { const char* name; float (*f)(float); double (*ref)(double); bool odd; };

double ulp_err(float got, double ref, bool& hard_fail) {
  hard_fail = false;
  if (std::isnan(ref)) { hard_fail = !std::isnan(got); return hard_fail ? INFINITY : 0; }
  if (std::isnan(got)) { hard_fail = true; return INFINITY; }
  const double fovf = 0x1p128 - 0x1p103;          // rounds to +-inf in float
  if (std::fabs(ref) >= fovf) {
    hard_fail = got != std::copysign(INFINITY, ref);
    return hard_fail ? INFINITY : 0;
  }
  if (std::isinf(got)) { hard_fail = true; return INFINITY; }
  if (ref == 0) { hard_fail = got != 0; return hard_fail ? INFINITY : 0; }
  int e;
  std::frexp(ref, &e);                             // |ref| in [2^(e-1), 2^e)
  int ue = (e - 1 > -126 ? e - 1 : -126) - 23;
  return std::fabs(double(got) - ref) / std::ldexp(1.0, ue);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && std::strcmp(argv[1], "--stdin") == 0) {
    // cross-check with reference.py: lines "name 0xBITS" -> "0xBITS"
    char name[32];
    unsigned bits;
    while (std::scanf("%31s %x", name, &bits) == 2) {
      float x = fbits_to(bits), r = NAN;
      if (!std::strcmp(name, "exp")) r = f32_exp(x);
      if (!std::strcmp(name, "log")) r = f32_log(x);
      if (!std::strcmp(name, "tanh")) r = f32_tanh(x);
      if (!std::strcmp(name, "sigmoid")) r = f32_sigmoid(x);
      if (!std::strcmp(name, "erf")) r = f32_erf(x);
      std::printf("0x%08x\n", unsigned(to_fbits(r)));
    }
    return 0;
  }
  Fn fns[] = {
      {"exp", f32_exp, static_cast<double (*)(double)>(std::exp), false},
      {"log", f32_log, static_cast<double (*)(double)>(std::log), false},
      {"tanh", f32_tanh, static_cast<double (*)(double)>(std::tanh), true},
      {"sigmoid", f32_sigmoid, ref_sigmoid, false},
      {"erf", f32_erf, static_cast<double (*)(double)>(std::erf), true},
  };
  for (const Fn& fn : fns) {
    bool want = argc == 1;
    for (int i = 1; i < argc; ++i) want |= std::strcmp(argv[i], fn.name) == 0;
    if (!want) continue;
    double worst = 0;
    float worst_x = 0;
    uint64_t over1 = 0, over05 = 0, fails = 0;
    for (uint64_t b = 0; b < (1ull << 32); ++b) {
      float x = fbits_to(uint32_t(b));
      float got = fn.f(x);
      bool hard;
      double e = ulp_err(got, fn.ref(double(x)), hard);
      if (fn.odd && x == 0 && std::signbit(got) != std::signbit(x)) hard = true;
      if (hard) {
        if (fails++ < 5) std::printf("  %s(%a) = %a: wrong special value\n", fn.name, x, got);
        continue;
      }
      if (e > 1) ++over1;
      if (e > 0.5) ++over05;
      if (e > worst) { worst = e; worst_x = x; }
    }
    std::printf("%-8s all 2^32 inputs: max %.4f ulp at %a (%.9g); %llu inputs > 1 ulp, "
                "%llu > 0.5 ulp; %llu wrong special values\n",
                fn.name, worst, worst_x, worst_x, (unsigned long long)over1,
                (unsigned long long)over05, (unsigned long long)fails);
    std::fflush(stdout);
  }
  return 0;
}

// Lesson 4: a random slope. RReLU draws each negative element's slope from
// uniform(1/8, 1/3) when training; the draws are keyed by (seed, element index), so the
// backward kernel sees the forward's slopes without storing them, and a new seed gives
// new ones. Compiled for inference, uniform(lo, hi) is (lo + hi) / 2. Built and run by
// `make test`.
#include <cmath>
#include <cstdio>
#include <vector>

#include "runtime/actjit.hpp"

int main() {
    actjit::Library library = actjit::Library::from_file(ACTJIT_EXAMPLES "/activations.act");
    actjit::Kernel training = library.compile("rrelu");  // x >= 0 ? x : uniform(lower, upper) * x
    actjit::CompileOptions inference_options;
    inference_options.inference = true;
    actjit::Kernel inference = library.compile("rrelu", inference_options);

    const int64_t n = 8;
    std::vector<float> x(n, -1.0f), y(n), dy(n, 1.0f), dx(n), again(n);
    const float* xs[] = {x.data()};
    float* dxs[] = {dx.data()};
    bool ok = true;

    // Training, seed 7: a slope per element in [1/8, 1/3); the backward's slopes are the same.
    training.forward(xs, y.data(), n, {}, /*seed=*/7);
    training.backward(xs, dy.data(), dxs, n, {}, /*seed=*/7);
    std::printf("training, seed 7:  slope");
    for (int64_t i = 0; i < n; ++i) {
        std::printf(" %.4f", -y[i]);
        ok = ok && -y[i] >= 0.125f && -y[i] < 1.0f / 3 && dx[i] == -y[i];
    }
    // The same seed gives the same draws; another seed, others.
    training.forward(xs, again.data(), n, {}, 7);
    ok = ok && again == y;
    training.forward(xs, again.data(), n, {}, 8);
    ok = ok && again != y;
    std::printf("\ntraining, seed 8:  slope");
    for (int64_t i = 0; i < n; ++i) std::printf(" %.4f", -again[i]);

    // Inference: the mean slope, (1/8 + 1/3) / 2 = 11/48, for every element.
    inference.forward(xs, y.data(), n);
    std::printf("\ninference:         slope %.6f (11/48 = %.6f)\n", -y[0], 11.0 / 48);
    for (int64_t i = 0; i < n; ++i) ok = ok && std::fabs(-y[i] - 11.0f / 48) < 1e-7f;
    std::printf("%s\n", ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
}

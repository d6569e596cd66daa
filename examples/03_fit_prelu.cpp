// Lesson 3: a learnable parameter. PReLU's slope alpha is `learn`, so its backward kernel
// also returns d(loss)/d(alpha), summed over the elements; gradient descent on it fits
// alpha to data made by a PReLU of slope 0.2. Built and run by `make test`.
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include "runtime/actjit.hpp"

int main() {
    actjit::Library library = actjit::Library::from_file(ACTJIT_EXAMPLES "/activations.act");
    actjit::Kernel prelu = library.compile("prelu");  // prelu(x; learn alpha = 0.25) = max(x, alpha * x)

    // Data: t = prelu(x) with alpha = 0.2, plus a little noise.
    const int64_t n = 100000;
    std::mt19937 random(42);
    std::normal_distribution<float> input(0, 2), noise(0, 0.01f);
    std::vector<float> x(n), t(n), y(n), dy(n), dx(n);
    for (int64_t i = 0; i < n; ++i) {
        x[i] = input(random);
        t[i] = (x[i] > 0 ? x[i] : 0.2f * x[i]) + noise(random);
    }
    const float* xs[] = {x.data()};
    float* dxs[] = {dx.data()};

    // Loss = mean((y - t)^2): dLoss/dy_i = 2 (y_i - t_i) / n, and backward() sums
    // dy_i * dy_i/dalpha into dLoss/dalpha. The step is small enough that alpha stays
    // below 1 (above, max(x, alpha * x) takes alpha * x for positive x too).
    double alpha = 0.9, rate = 0.1;
    for (int step = 0; step <= 60; ++step) {
        prelu.forward(xs, y.data(), n, {{"alpha", alpha}});
        double loss = 0;
        for (int64_t i = 0; i < n; ++i) {
            loss += (y[i] - t[i]) * (y[i] - t[i]) / n;
            dy[i] = 2 * (y[i] - t[i]) / n;
        }
        std::vector<double> gradient = prelu.backward(xs, dy.data(), dxs, n, {{"alpha", alpha}});
        if (step % 10 == 0) std::printf("step %2d  alpha = %.5f  loss = %.6f\n", step, alpha, loss);
        alpha -= rate * gradient[0];
    }
    std::printf("fitted alpha = %.4f (the data's: 0.2)\n", alpha);
    return std::fabs(alpha - 0.2) < 0.002 ? 0 : 1;
}

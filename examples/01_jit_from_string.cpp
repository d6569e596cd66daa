// Lesson 1: JIT a definition from a string and run its forward and backward kernels
// through the C++ API (runtime/actjit.hpp). Built and run by `make test`.
#include <cstdio>
#include <vector>

#include "runtime/actjit.hpp"

int main() {
    // 1. A library is one or more definitions, checked as `actjit check` would.
    actjit::Library library = actjit::Library::from_string("prelu(x; learn alpha = 0.25) = max(x, alpha * x)\n");
    // 2. Compile one for a dtype: f32 kernels at the host's vector width.
    actjit::Kernel prelu = library.compile("prelu");
    // 3. Forward: y = prelu(x), element by element; parameters by name (or their defaults).
    std::vector<float> x{-2, -1, 0, 1, 2}, y(x.size());
    const float* inputs[] = {x.data()};
    prelu.forward(inputs, y.data(), static_cast<int64_t>(x.size()), {{"alpha", 0.1}});
    // 4. Backward: dx = dy * dprelu/dx, and dalpha summed over the elements.
    std::vector<float> dy(x.size(), 1.0f), dx(x.size());
    float* gradients[] = {dx.data()};
    std::vector<double> dalpha = prelu.backward(inputs, dy.data(), gradients, static_cast<int64_t>(x.size()), {{"alpha", 0.1}});
    for (size_t i = 0; i < x.size(); ++i) std::printf("x = %4.1f  y = %5.2f  dy/dx = %4.2f\n", x[i], y[i], dx[i]);
    std::printf("d(sum y)/dalpha = %g\n", dalpha[0]);  // -3: the sum of the negative x
    return dalpha[0] == -3.0 ? 0 : 1;
}

// PyTorch's values and slopes at the kinks and the special values (±0, ±inf, NaN) of the
// activations both libraries have, f32, through autograd (what a training loop sees):
// one line per (activation, input): NAME X VALUE SLOPE. The other half of the kink and
// NaN policy table of docs/numerics.md; `compare-policy` runs it beside `actjit eval`.
// Build: bench's CMake target torch_policy (Debian's libtorch-dev 1.13).
#include <torch/torch.h>

#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <string>
#include <vector>

int main() {
    const float inf = std::numeric_limits<float>::infinity();
    const std::vector<float> xs = {-inf, -6, -3, -1, -0.5f, -0.0f, 0.0f, 0.5f, 1, 3, 6, inf, std::nanf("")};
    using Op = std::function<torch::Tensor(const torch::Tensor&)>;
    const std::vector<std::pair<std::string, Op>> ops = {
        {"relu", [](const torch::Tensor& x) { return torch::relu(x); }},
        {"leaky_relu", [](const torch::Tensor& x) { return torch::leaky_relu(x, 0.01); }},
        {"relu6", [](const torch::Tensor& x) { return torch::hardtanh(x, 0, 6); }},  // F::relu6
        {"hardtanh", [](const torch::Tensor& x) { return torch::hardtanh(x); }},
        {"elu", [](const torch::Tensor& x) { return torch::elu(x); }},
        {"hardswish", [](const torch::Tensor& x) { return torch::hardswish(x); }},
        {"hardsigmoid", [](const torch::Tensor& x) { return torch::hardsigmoid(x); }},
        {"softshrink", [](const torch::Tensor& x) { return torch::softshrink(x, 0.5); }},
        {"hardshrink", [](const torch::Tensor& x) { return torch::hardshrink(x, 0.5); }},
        {"threshold", [](const torch::Tensor& x) { return torch::threshold(x, 0, 0); }},
        {"softplus", [](const torch::Tensor& x) { return torch::softplus(x); }},
        {"sigmoid", [](const torch::Tensor& x) { return torch::sigmoid(x); }},
        {"silu", [](const torch::Tensor& x) { return torch::silu(x); }},
        {"gelu", [](const torch::Tensor& x) { return torch::gelu(x); }},
        {"mish", [](const torch::Tensor& x) { return torch::mish(x); }},
        {"softsign", [](const torch::Tensor& x) { return x / (1 + torch::abs(x)); }},  // F::softsign
    };
    for (const auto& [name, op] : ops)
        for (float v : xs) {
            torch::Tensor x = torch::full({1}, v, torch::dtype(torch::kFloat32).requires_grad(true));
            torch::Tensor y = op(x);
            torch::Tensor g = torch::autograd::grad({y}, {x}, {torch::ones_like(y)})[0];
            std::printf("%s %.9g %.9g %.9g\n", name.c_str(), v, y.item<float>(), g.item<float>());
        }
}

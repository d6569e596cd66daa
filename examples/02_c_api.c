/* Lesson 2: the same through the C API (runtime/actjit.h): every call returns a status,
 * and actjit_last_error() says what went wrong. Built and run by `make test`. */
#include <stdio.h>

#include "runtime/actjit.h"

int main(void) {
    actjit_library* library = NULL;
    actjit_kernel* prelu = NULL;
    if (actjit_library_from_string("prelu(x; learn alpha = 0.25) = max(x, alpha * x)\n", &library) != ACTJIT_OK ||
        actjit_compile(library, "prelu", ACTJIT_F32, 0, NULL, &prelu) != ACTJIT_OK) {
        fprintf(stderr, "actjit: %s\n", actjit_last_error());
        return 1;
    }
    float x[] = {-2, -1, 0, 1, 2}, y[5], dy[] = {1, 1, 1, 1, 1}, dx[5];
    const float* inputs[] = {x};
    float* gradients[] = {dx};
    double params[] = {0.1}; /* every parameter, in declaration order (NULL: the defaults) */
    double dalpha = 0;
    if (actjit_forward_f32(prelu, inputs, y, 5, params, 0, 1) != ACTJIT_OK ||
        actjit_backward_f32(prelu, inputs, dy, gradients, &dalpha, 5, params, 0, 1) != ACTJIT_OK) {
        fprintf(stderr, "actjit: %s\n", actjit_last_error());
        return 1;
    }
    for (int i = 0; i < 5; ++i) printf("x = %4.1f  y = %5.2f  dy/dx = %4.2f\n", x[i], y[i], dx[i]);
    printf("d(sum y)/dalpha = %g\n", dalpha);
    /* A mistake is a status and a message, not a crash. */
    if (actjit_forward_f32(prelu, inputs, NULL, 5, params, 0, 1) == ACTJIT_ERROR_ARGUMENT)
        printf("as expected: %s\n", actjit_last_error());
    actjit_kernel_free(prelu);
    actjit_library_free(library);
    return dalpha == -3.0 ? 0 : 1;
}

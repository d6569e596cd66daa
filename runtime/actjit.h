/* actjit's C API: the same capabilities as actjit.hpp, for C and for other languages'
 * foreign-function interfaces. Plain C: no LLVM types, and no exception crosses it.
 * Every call that can fail returns an actjit_status; actjit_last_error() then holds a
 * message for a person (per thread, valid until the thread's next failing call). */
#ifndef ACTJIT_RUNTIME_ACTJIT_H
#define ACTJIT_RUNTIME_ACTJIT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum actjit_status {
    ACTJIT_OK = 0,
    ACTJIT_ERROR_SOURCE = 1,    /* the .act text has errors, or the file cannot be read */
    ACTJIT_ERROR_ARGUMENT = 2,  /* a wrong call: unknown name, null or overlapping array, ... */
    ACTJIT_ERROR_JIT = 3,       /* compiling or linking the kernels failed */
    ACTJIT_ERROR_MEMORY = 4
} actjit_status;

typedef enum actjit_dtype { ACTJIT_F32 = 0, ACTJIT_F64 = 1 } actjit_dtype;

typedef struct actjit_library actjit_library;
typedef struct actjit_kernel actjit_kernel;

/* "MAJOR.MINOR.PATCH"; a static string, never null. */
const char* actjit_version(void);
/* The message of this thread's last failure ("" if none); never null. */
const char* actjit_last_error(void);

/* Returns when every kernel compiled so far runs its optimized code (a first compile
 * returns quickly compiled kernels and swaps in optimized ones from a background
 * thread: actjit::finish_compiling). */
void actjit_finish_compiling(void);

actjit_status actjit_library_from_string(const char* text, actjit_library** out);
actjit_status actjit_library_from_file(const char* path, actjit_library** out);
void actjit_library_free(actjit_library* library);

/* flags: 0, or ACTJIT_INFERENCE (uniform(lo, hi) = (lo + hi) / 2) and ACTJIT_FAST (f32
 * kernels computing in float lanes: actjit::Precision::fast) or-ed together. cpu: NULL or
 * "" for the host (or $ACTJIT_CPU), else an LLVM CPU name such as "haswell". */
enum { ACTJIT_INFERENCE = 1, ACTJIT_FAST = 2 };
actjit_status actjit_compile(const actjit_library* library, const char* name, actjit_dtype dtype, int flags,
                             const char* cpu, actjit_kernel** out);
void actjit_kernel_free(actjit_kernel* kernel);

int actjit_kernel_inputs(const actjit_kernel* kernel);
int actjit_kernel_parameters(const actjit_kernel* kernel);
/* Parameter i (declaration order): its name, whether it is learned, its default
 * (returns 0 and leaves *value alone when it has none). */
const char* actjit_kernel_parameter_name(const actjit_kernel* kernel, int i);
int actjit_kernel_parameter_learned(const actjit_kernel* kernel, int i);
int actjit_kernel_parameter_default(const actjit_kernel* kernel, int i, double* value);

/* params: every parameter's value in declaration order, or NULL for the defaults.
 * inputs: one array per input. Outputs may be the same array as an input. */
actjit_status actjit_forward_f32(const actjit_kernel* kernel, const float* const* inputs, float* y, int64_t n,
                                 const double* params, uint64_t seed, int threads);
actjit_status actjit_forward_f64(const actjit_kernel* kernel, const double* const* inputs, double* y, int64_t n,
                                 const double* params, uint64_t seed, int threads);
/* dparams: one value per learned parameter (declaration order), set to the gradient
 * summed over the elements; may be NULL when there is none. */
actjit_status actjit_backward_f32(const actjit_kernel* kernel, const float* const* inputs, const float* dy,
                                  float* const* dinputs, double* dparams, int64_t n, const double* params,
                                  uint64_t seed, int threads);
actjit_status actjit_backward_f64(const actjit_kernel* kernel, const double* const* inputs, const double* dy,
                                  double* const* dinputs, double* dparams, int64_t n, const double* params,
                                  uint64_t seed, int threads);

/* The raw LANGUAGE.md §5 entry points, valid while the kernel is: the optimized kernels'
   (after a quick compile, this waits for them); NULL only if their compilation failed. */
void* actjit_kernel_forward_function(const actjit_kernel* kernel);
void* actjit_kernel_backward_function(const actjit_kernel* kernel);

#ifdef __cplusplus
}
#endif

#endif

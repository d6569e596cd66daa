/* actjit's C API for host programs. Plain C: no LLVM types and no exceptions cross it.
 * Today it reports the library's version; kernel loading and running
 * (LANGUAGE.md §5) arrive with the LLVM backend. */
#ifndef ACTJIT_RUNTIME_ACTJIT_H
#define ACTJIT_RUNTIME_ACTJIT_H

#ifdef __cplusplus
extern "C" {
#endif

/* "MAJOR.MINOR.PATCH"; a static string, never null. */
const char* actjit_version(void);

#ifdef __cplusplus
}
#endif

#endif

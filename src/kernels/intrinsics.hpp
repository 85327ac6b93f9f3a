#pragma once
// <immintrin.h>, for the files compiled for AVX2 or AVX-512. GCC 12 warns that its own AVX-512
// shuffle intrinsics read an uninitialised variable (GCC bug 105593, fixed in GCC 13); the
// warning is about the header, not the code that includes it, so it is silenced here alone.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop
#else
#include <immintrin.h>
#endif

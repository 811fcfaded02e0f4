#ifndef WARDSLEEP_CRMATH_SHIM_H
#define WARDSLEEP_CRMATH_SHIM_H
#define MATHLIB_STANDALONE 1
#include <Rmath.h>
#endif

#ifndef WARDSLEEP_CLIBCSV_SHIM_H
#define WARDSLEEP_CLIBCSV_SHIM_H
#include <csv.h>
#endif

/* mac_internal.h - the fp8_mac workspace, shared by mac.c (set-up and state),
 * mac_kernel.c (the steps) and mac_readout.c.  Not installed. */
#ifndef FP8_MAC_INTERNAL_H
#define FP8_MAC_INTERNAL_H

#include "mac.h"

/* Operand flag bits in fp8_mac.spa / spb: what forces the slow path. */
enum { MAC_OP_INF = 1, MAC_OP_NAN = 2 };

/* Kulisch kernel chosen from W and FX: one machine word when the exact sum of
 * two in-range values cannot overflow it, else __int128, else words. */
typedef enum mac_kernel { MAC_K64, MAC_K128, MAC_KWORDS, MAC_FP } mac_kernel;

struct fp8_mac {
  fp8_format fa, fb;
  fp8_acc_spec acc;       /* width resolved for Kulisch */
  int fx, lsb;            /* product bits FX and its LSB exponent L */
  mac_kernel kernel;
  fp8_mac_state st;       /* the observable state, always current */
  fp8_rounding rc;        /* FP accumulator: RNE, overflow to Inf */
  /* Per-code tables (2^bits entries each; b's point at a's when B = A). */
  fp8_unpacked *ua, *ub;  /* exact decode */
  int64_t *ka, *kb;       /* Kulisch: signed value in units of the operand LSB */
  uint8_t *spa, *spb;     /* MAC_OP_* */
  void *mem;              /* one allocation behind all tables */
};

/* The sticky flags each kind may hold (set_state checks against these). */
#define MAC_KULISCH_FLAGS (FP8_MAC_WRAP | FP8_MAC_NAN | FP8_MAC_PINF | FP8_MAC_NINF)
#define MAC_FP_FLAGS (FP8_MAC_INEXACT | FP8_MAC_UNDERFLOW | FP8_MAC_OVERFLOW | FP8_MAC_INVALID)


#endif

// shim.cpp - the only C++ between a Verilated top (a MAC or a dot-product
// unit) and the C driver.
//
// Compiled once per top with -DFP8SIM_TOP=<top>; exports
//   fp8sim_<top>_create / _free / _reset / _clear / _load / _step / _read / _drive / _edge
// with C linkage (sim/model.h declares them through FP8SIM_DECLARE).  Every top
// has the ports clk_i, rst_ni, en_i, clear_i, load_i, load_acc_i, load_flags_i,
// a_i, b_i, acc_o, flags_o; acc and operand values travel as little-endian
// 32-bit words.
#include <cstdint>
#include <cstring>

#include "verilated.h"

extern "C" {
#include "model.h"
}

#define FP8SIM_CAT2(a, b) a##b
#define FP8SIM_CAT(a, b) FP8SIM_CAT2(a, b)
#define FP8SIM_STR2(a) #a
#define FP8SIM_STR(a) FP8SIM_STR2(a)
#define FP8SIM_CLASS FP8SIM_CAT(V, FP8SIM_TOP)
#define FP8SIM_FN(name) FP8SIM_CAT(FP8SIM_CAT(fp8sim_, FP8SIM_TOP), name)
#include FP8SIM_STR(FP8SIM_CAT(V, FP8SIM_TOP).h)

namespace {
// Verilator holds a port in CData/SData/IData/QData or VlWide<N>.
template <typename T> void to_words(const T &v, uint32_t *w, int n)
{
  uint64_t x = (uint64_t)v;
  for (int i = 0; i < n; i++, x >>= 32)
    w[i] = (uint32_t)x;
}
template <std::size_t N> void to_words(const VlWide<N> &v, uint32_t *w, int n)
{
  for (int i = 0; i < n; i++)
    w[i] = i < (int)N ? v[i] : 0;
}
template <typename T> void from_words(T &v, const uint32_t *w, int n)
{
  uint64_t x = w[0] | (n > 1 ? (uint64_t)w[1] << 32 : 0);
  v = (T)x;
}
template <std::size_t N> void from_words(VlWide<N> &v, const uint32_t *w, int n)
{
  for (int i = 0; i < (int)N; i++)
    v[i] = i < n ? w[i] : 0;
}

#if VM_COVERAGE
char cov_path[4096];     // where ~sim writes the coverage counts ("" none)
#endif

struct sim {
  VerilatedContext ctx;
  FP8SIM_CLASS *top;
  sim() : top(new FP8SIM_CLASS(&ctx)) {}
  ~sim()
  {
    top->final();
#if VM_COVERAGE
    if (cov_path[0])
      ctx.coveragep()->write(cov_path);   // before the model's counters go
#endif
    delete top;
  }
  void edge()
  {
    top->clk_i = 0;
    top->eval();
    top->clk_i = 1;
    top->eval();
  }
  // the fast paths drive every control input, whatever drive() left behind
  void control(int clear, int load, int en)
  {
    top->rst_ni = 1;
    top->clear_i = clear;
    top->load_i = load;
    top->en_i = en;
  }
};
} // namespace

extern "C" {
void *FP8SIM_FN(_create)(void)
{
  sim *s = new sim;
  s->top->rst_ni = 1;
  s->top->en_i = 0;
  s->top->clear_i = 0;
  s->top->load_i = 0;
  s->top->clk_i = 0;
  s->top->eval();
  return s;
}

void FP8SIM_FN(_free)(void *h) { delete (sim *)h; }

void FP8SIM_FN(_reset)(void *h)
{
  sim *s = (sim *)h;
  s->top->rst_ni = 0;
  s->top->eval();
  s->top->rst_ni = 1;
  s->top->eval();
}

void FP8SIM_FN(_load)(void *h, const uint32_t *acc, int nwords, unsigned flags)
{
  sim *s = (sim *)h;
  from_words(s->top->load_acc_i, acc, nwords);
  s->top->load_flags_i = flags;
  s->control(0, 1, 0);
  s->edge();
  s->top->load_i = 0;
}

void FP8SIM_FN(_clear)(void *h)
{
  sim *s = (sim *)h;
  s->control(1, 0, 0);
  s->edge();
  s->top->clear_i = 0;
}

// One step: a_i and b_i given as little-endian 32-bit words, the n codes
// packed from bit 0 up (sim/model.h; a MAC's one code in one word).
void FP8SIM_FN(_step)(void *h, const uint32_t *a, const uint32_t *b, int nwords)
{
  sim *s = (sim *)h;
  from_words(s->top->a_i, a, nwords);
  from_words(s->top->b_i, b, nwords);
  s->control(0, 0, 1);
  s->edge();
  s->top->en_i = 0;
}

void FP8SIM_FN(_read)(void *h, uint32_t *acc, int nwords, unsigned *flags)
{
  sim *s = (sim *)h;
  to_words(s->top->acc_o, acc, nwords);
  *flags = s->top->flags_o;
}

void FP8SIM_FN(_drive)(void *h, const fp8sim_inputs *in)
{
  sim *s = (sim *)h;
  s->top->clk_i = 0;
  s->top->rst_ni = in->rst_n;
  s->top->clear_i = in->clear;
  s->top->load_i = in->load;
  s->top->en_i = in->en;
  from_words(s->top->load_acc_i, in->load_acc, in->nwords);
  s->top->load_flags_i = in->load_flags;
  from_words(s->top->a_i, in->a, in->abwords);
  from_words(s->top->b_i, in->b, in->abwords);
  s->top->eval();
}

#if VM_COVERAGE
// A build with coverage (vbuild.sh, FP8SIM_SHARED): the models freed after
// this call write their line and toggle counts to path.
void FP8SIM_FN(_coverage_file)(const char *path)
{
  std::strncpy(cov_path, path, sizeof cov_path - 1);
}
#endif

void FP8SIM_FN(_edge)(void *h)
{
  sim *s = (sim *)h;
  s->top->clk_i = 1;
  s->top->eval();
}
}

/* test_modelio.c - the model readers on files written with known contents
 * (tests/model_write.c: ONNX packed by protobuf-c, .npy by the format spec,
 * zips by libzip): names, shapes, values, element types, consumers; and
 * hostile files: a clear error, nothing returned, memory bounded. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_run.h"
#include "modelio.h"
#include "model_write.h"

static char dir[] = "/tmp/fp8lab-modelio-XXXXXX";

static const char *at(const char *leaf)
{
  static char buf[4][4096];
  static int k;
  k = (k + 1) % 4;
  snprintf(buf[k], sizeof buf[k], "%s/%s", dir, leaf);
  return buf[k];
}

static const fp8_io_tensor *find(const fp8_io_model *m, const char *name)
{
  for (size_t i = 0; i < m->n; i++)
    if (!strcmp(m->t[i].name, name))
      return &m->t[i];
  ck_abort_msg("no tensor '%s'", name);
  return NULL;
}

static void read_ok(const char *spec, fp8_io_model *m)
{
  char err[512] = "";
  ck_assert_msg(fp8_io_model_read(spec, NULL, m, err, sizeof err) == 0, "%s: %s", spec, err);
}

static void read_fails(const char *spec, size_t max_mib, const char *want)
{
  char err[512] = "";
  fp8_io_model m;
  fp8_io_limits lim = {max_mib << 20};
  ck_assert_msg(fp8_io_model_read(spec, &lim, &m, err, sizeof err) == -1, "%s read", spec);
  ck_assert_msg(strstr(err, want) != NULL, "%s: '%s' lacks '%s'", spec, err, want);
  ck_assert_msg(strstr(err, spec) == err, "%s: message '%s' does not name the file", spec, err);
  ck_assert_uint_eq(m.n, 0);
  ck_assert_ptr_null(m.t);
}

static void check_small_onnx(const fp8_io_model *m)
{
  ck_assert_uint_eq(m->n, 7);           /* 4 float initializers, c0, c_then, sub_init */
  ck_assert_uint_eq(m->skipped, 1);     /* the int64 'shape' */
  ck_assert_uint_eq(m->params, 6 + 4 + 4 + 2 + 2 + 1 + 1);
  const fp8_io_tensor *t = find(m, "w_raw");
  ck_assert_int_eq(t->ndim, 2);
  ck_assert_int_eq(t->dims[0], 2);
  ck_assert_int_eq(t->dims[1], 3);
  ck_assert_int_eq(t->dtype, FP8_IO_F32);
  for (int i = 0; i < 6; i++)
    ck_assert_double_eq(t->data[i], (double)mw_w_raw[i]);
  ck_assert_str_eq(t->op, "MatMul");
  ck_assert_int_eq(t->input, 1);
  t = find(m, "w_typed");
  for (int i = 0; i < 4; i++)
    ck_assert_double_eq(t->data[i], (double)mw_w_typed[i]);
  ck_assert_str_eq(t->op, "Gemm");
  ck_assert_int_eq(t->trans_b, 1);
  t = find(m, "h16");
  ck_assert_int_eq(t->dtype, FP8_IO_F16);
  for (int i = 0; i < 4; i++)
    ck_assert_double_eq(t->data[i], mw_h16_val[i]);
  t = find(m, "bf16");
  ck_assert_int_eq(t->dtype, FP8_IO_BF16);
  for (int i = 0; i < 2; i++)
    ck_assert_double_eq(t->data[i], mw_bf16_val[i]);
  t = find(m, "c0");
  ck_assert_double_eq(t->data[0], 7);
  ck_assert_double_eq(t->data[1], 8);
  ck_assert_double_eq(find(m, "c_then")->data[0], 9);
  ck_assert_double_eq(find(m, "sub_init")->data[0], 10);
  ck_assert_str_eq(find(m, "c0")->op, "");
}

START_TEST(onnx_small)
{
  fp8_io_model m;
  read_ok(at("small.onnx"), &m);
  check_small_onnx(&m);
  fp8_io_model_free(&m);
}
END_TEST

static void check_small_npz(const fp8_io_model *m)
{
  ck_assert_uint_eq(m->n, 2);
  const fp8_io_tensor *a = find(m, "a"), *b = find(m, "b");
  ck_assert_int_eq(a->ndim, 2);
  ck_assert_int_eq(a->dims[1], 3);
  for (int i = 0; i < 6; i++)
    ck_assert_double_eq(a->data[i], i + 1);
  ck_assert_int_eq(b->dtype, FP8_IO_F16);
  ck_assert_double_eq(b->data[0], 1);
  ck_assert_double_eq(b->data[1], -1);
  ck_assert_double_eq(b->data[2], 2);
}

START_TEST(npz_stored_and_deflated)
{
  fp8_io_model m;
  read_ok(at("small.npz"), &m);
  check_small_npz(&m);
  fp8_io_model_free(&m);
}
END_TEST

START_TEST(inside_a_wheel)
{
  char spec[4200];
  fp8_io_model m;
  snprintf(spec, sizeof spec, "%s:pkg/models/small.onnx", at("pkg.whl"));
  read_ok(spec, &m);
  check_small_onnx(&m);
  fp8_io_model_free(&m);
  snprintf(spec, sizeof spec, "%s:pkg/w.npz", at("pkg.whl"));
  read_ok(spec, &m);
  check_small_npz(&m);
  fp8_io_model_free(&m);
}
END_TEST

START_TEST(npy_single)
{
  static const double v[3] = {0.1, -2e300, 5e-324};
  ck_assert_int_eq(mw_npy(at("d.npy"), "<f8", "(3,)", v, sizeof v), 0);
  fp8_io_model m;
  read_ok(at("d.npy"), &m);
  ck_assert_uint_eq(m.n, 1);
  for (int i = 0; i < 3; i++)
    ck_assert_double_eq(m.t[0].data[i], v[i]);
  fp8_io_model_free(&m);
}
END_TEST

START_TEST(hostile)
{
  char spec[4200];
  read_fails(at("trunc.onnx"), 0, "not a valid ONNX model");
  read_fails(at("garbage.onnx"), 0, "not a valid ONNX model");
  read_fails(at("hugedims.onnx"), 0, "overflows");
  read_fails(at("negdim.onnx"), 0, "dimension 1 is -1");
  read_fails(at("deep.onnx"), 0, "nested deeper");
  read_fails(at("hugeshape.npy"), 0, "but 8 bytes are stored");
  read_fails(at("bigendian.npy"), 0, "'>f4'");
  /* 24 MiB of zeros deflated to kilobytes: refused before inflating under 8 MiB */
  read_fails(at("bomb.npz"), 8, "read limit");
  read_fails(at("missing.onnx"), 0, "cannot open");
  snprintf(spec, sizeof spec, "%s:no/such.onnx", at("pkg.whl"));
  read_fails(spec, 0, "no member 'no/such.onnx'");
  snprintf(spec, sizeof spec, "%s:", at("pkg.whl"));
  read_fails(spec, 0, "empty member name");
  read_fails(at("pkg.whl"), 0, "name the model inside it");
  /* a model too large for the limit: refused while decoding */
  static float big[1 << 19];
  int64_t d[1] = {1 << 19};
  ck_assert_int_eq(mw_onnx_one(at("big.onnx"), NULL, 1, d, big, 1 << 19, 0), 0);
  read_fails(at("big.onnx"), 2, "read limit");
  fp8_io_model m;
  read_ok(at("big.onnx"), &m);   /* and read under the default limit */
  ck_assert_uint_eq(m.params, 1 << 19);
  fp8_io_model_free(&m);
}
END_TEST

static pid_t parent;

static void cleanup(void)   /* in the parent only: Check forks a child per test */
{
  if (getpid() != parent)
    return;
  char cmd[4200];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd))
    fprintf(stderr, "could not remove %s\n", dir);
}

int main(void)
{
  if (!mkdtemp(dir)) {
    perror("mkdtemp");
    return 1;
  }
  parent = getpid();
  atexit(cleanup);
  if (mw_write_valid(dir) || mw_write_hostile(dir)) {
    fprintf(stderr, "test_modelio: could not write the test models into %s\n", dir);
    return 1;
  }
  Suite *s = suite_create("modelio");
  TCase *tc = tcase_create("read");
  tcase_add_test(tc, onnx_small);
  tcase_add_test(tc, npz_stored_and_deflated);
  tcase_add_test(tc, inside_a_wheel);
  tcase_add_test(tc, npy_single);
  tcase_add_test(tc, hostile);
  suite_add_tcase(s, tc);
  return fp8_check_run(s);
}

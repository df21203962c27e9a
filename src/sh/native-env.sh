# Environment for tn's native libraries, sourced by the `tn` launcher and `src/bench/run` (it must
# be set before the JVM loads them). Keeps whatever the user has set.

# Large arrays (intermediates, results) come from the C allocator; asking it for transparent huge
# pages, as numpy does for its arrays, makes first touching a fresh 64 MB result ~20 ms cheaper.
export GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.malloc.hugetlb=1}"

# The OpenBLAS that ND4J bundles (0.3.19) predates AMD's AVX-512 processors (Zen 4) and runs them
# on its AVX2 kernels; newer OpenBLAS (numpy's 0.3.31 among them) picks its SkylakeX kernels there.
# Measured on a Zen 4 EPYC: 64x64x64 sgemm 9.0 us -> 4.6 us. Only where the processor has every
# AVX-512 subset those kernels use (forcing them elsewhere would stop on an illegal instruction).
if [ -z "${OPENBLAS_CORETYPE:-}" ] && [ -r /proc/cpuinfo ] && grep -q -m1 AuthenticAMD /proc/cpuinfo; then
  tn_cpu_flags=" $(grep -m1 '^flags' /proc/cpuinfo | cut -d: -f2) "
  tn_avx512=1
  for tn_flag in avx512f avx512cd avx512bw avx512dq avx512vl; do
    [[ "$tn_cpu_flags" == *" $tn_flag "* ]] || tn_avx512=0
  done
  [ "$tn_avx512" = 1 ] && export OPENBLAS_CORETYPE=SkylakeX
  unset tn_cpu_flags tn_avx512 tn_flag
fi

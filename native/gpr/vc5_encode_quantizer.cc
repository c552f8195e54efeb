// Band quantization for the VC-5 encoder.
#include "gpr/vc5_encode_quantizer.h"

namespace leakproof::gpr {

void QuantizeBand(int16_t* data, size_t count, int q) {
  if (q == 1) return;
  const Vc5Quantizer quant(q);
  for (size_t i = 0; i < count; ++i) data[i] = quant.Apply(data[i]);
}

}  // namespace leakproof::gpr

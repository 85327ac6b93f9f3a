#include "scratchnet/optimizers/adamw.hpp"

namespace scratchnet {

template <typename T>
AdamW<T>::AdamW(const AdamWOptions& options)
    : Adam<T>({.lr = options.lr,
               .beta1 = options.beta1,
               .beta2 = options.beta2,
               .eps = options.eps,
               .weight_decay = options.weight_decay},
              Adam<T>::WeightDecay::decoupled) {}

template class AdamW<float>;
template class AdamW<double>;

}  // namespace scratchnet

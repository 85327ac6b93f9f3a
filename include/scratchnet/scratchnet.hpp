#pragma once
/// \file
/// The whole public API of scratchnet in one include, for programs that use the library:
/// `#include <scratchnet/scratchnet.hpp>` brings models and layers, losses, optimizers and
/// schedules, initialisers, the training loop and whole training runs, data readers, model
/// files and checkpoints, the Predictor and the random generators.
///
/// The finer headers it includes remain usable on their own, and each compiles by itself: a
/// file that needs one part includes just that part and compiles faster. Left out here are
/// the parts behind the API (the matrix-product kernels, safe file writes, text helpers),
/// which programs include by name when they want them.

// Matrices, shapes and random generators.
#include "scratchnet/matrix.hpp"
#include "scratchnet/random.hpp"
#include "scratchnet/sample_random.hpp"
#include "scratchnet/shape.hpp"

// Layers and the model.
#include "scratchnet/layers/dense.hpp"
#include "scratchnet/layers/dropout.hpp"
#include "scratchnet/layers/elementwise_activation.hpp"
#include "scratchnet/layers/gelu.hpp"
#include "scratchnet/layers/layer.hpp"
#include "scratchnet/layers/layer_description.hpp"
#include "scratchnet/layers/leaky_relu.hpp"
#include "scratchnet/layers/relu.hpp"
#include "scratchnet/layers/sigmoid.hpp"
#include "scratchnet/layers/softmax.hpp"
#include "scratchnet/layers/tanh.hpp"
#include "scratchnet/model/layer_kinds.hpp"
#include "scratchnet/model/layer_spec.hpp"
#include "scratchnet/model/predictor.hpp"
#include "scratchnet/model/sequential.hpp"
#include "scratchnet/model/small_network.hpp"

// Initialisers, losses, optimizers and learning-rate schedules.
#include "scratchnet/init/initializer.hpp"
#include "scratchnet/init/numpy_uniform.hpp"
#include "scratchnet/losses/binary_cross_entropy_with_logits.hpp"
#include "scratchnet/losses/loss.hpp"
#include "scratchnet/losses/mean_squared_error.hpp"
#include "scratchnet/losses/softmax_cross_entropy.hpp"
#include "scratchnet/losses/sum_squared_error.hpp"
#include "scratchnet/optimizers/adam.hpp"
#include "scratchnet/optimizers/adamw.hpp"
#include "scratchnet/optimizers/clip_grad_norm.hpp"
#include "scratchnet/optimizers/lr_schedule.hpp"
#include "scratchnet/optimizers/optimizer.hpp"
#include "scratchnet/optimizers/rmsprop.hpp"
#include "scratchnet/optimizers/sgd.hpp"

// Training: the loop, its metrics and checks, and a whole run from settings.
#include "scratchnet/kernels/thread_pool.hpp"
#include "scratchnet/training/anomaly.hpp"
#include "scratchnet/training/default_learning_rates.hpp"
#include "scratchnet/training/evaluation_json.hpp"
#include "scratchnet/training/factories.hpp"
#include "scratchnet/training/gradient_check.hpp"
#include "scratchnet/training/history.hpp"
#include "scratchnet/training/metrics.hpp"
#include "scratchnet/training/resumable.hpp"
#include "scratchnet/training/setting_error.hpp"
#include "scratchnet/training/settings.hpp"
#include "scratchnet/training/trainer.hpp"
#include "scratchnet/training/training_run.hpp"

// Data: data sets, CSV and IDX readers, classes, standardisation.
#include "scratchnet/data/classes.hpp"
#include "scratchnet/data/csv.hpp"
#include "scratchnet/data/data_error.hpp"
#include "scratchnet/data/dataset.hpp"
#include "scratchnet/data/fingerprint.hpp"
#include "scratchnet/data/idx.hpp"
#include "scratchnet/data/image_dataset.hpp"
#include "scratchnet/data/labelled_data.hpp"
#include "scratchnet/data/missing_values.hpp"
#include "scratchnet/data/standardization.hpp"

// Files: model files, checkpoints, safetensors; the HTML training report.
#include "scratchnet/io/checkpoint.hpp"
#include "scratchnet/io/metadata_json.hpp"
#include "scratchnet/io/model_file.hpp"
#include "scratchnet/io/model_inputs.hpp"
#include "scratchnet/io/safetensors.hpp"
#include "scratchnet/report/html_report.hpp"

// The seed notebook's XOR network, and matrices printed as numpy prints them.
#include "scratchnet/text/numpy_print.hpp"
#include "scratchnet/xor.hpp"

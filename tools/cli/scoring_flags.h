// Flags shared by the commands that score pairs with a Fellegi-Sunter model (`link`, `dedupe`).
#pragma once

#include <CLI/CLI.hpp>

#include "matchguard/link.h"

namespace matchguard::cli {

// --config, --model and --save-model, written into `options`, which must outlive parsing.
inline void AddScoringFlags(CLI::App& app, LinkOptions& options) {
  app.add_option("--config", options.config_path, "Linkage config (TOML, see docs/config.md)");
  app.add_option("--model", options.model_path, "Score with this model instead of training one");
  app.add_option("--save-model", options.save_model_path, "Write the model used to this JSON file");
}

}  // namespace matchguard::cli

// Limits on what one run reads, so that a hostile or broken file ends in a located refusal (exit 2) that
// names the limit, never in a process that grows until the machine kills it.
//
// The limits hold for every command in the process. The CLI sets them once at start-up from its global
// flags (`matchguard --max-file-mb N --max-field-kb N --max-columns N <command> ...`); library users may
// call SetInputLimits the same way. docs/input-safety.md lists them with their defaults.
//
// Thread-safety: SetInputLimits must be called before any other thread reads input; CurrentInputLimits
// may then be called from any thread.
#pragma once

#include <cstdint>
#include <string>

namespace matchguard {

struct InputLimits {
  // Largest file any reader loads (CSV, encodings, schemas, models): checked before and while reading, so
  // that /dev/zero or a runaway file stops at the limit.
  uint64_t max_file_bytes = uint64_t{1} << 30;  // 1 GiB
  // Largest single CSV field. A person field is short; an id,clk CSV of field-level filters needs about
  // bits/6 bytes (1 MiB holds a 5-million-bit filter).
  uint64_t max_field_bytes = uint64_t{1} << 20;  // 1 MiB
  // Most columns in a CSV header (a row cannot be wider than its header).
  uint64_t max_columns = 4096;
};

const InputLimits& CurrentInputLimits();
void SetInputLimits(const InputLimits& limits);

// "1 GiB", "64 KiB", "1000 bytes": a limit as messages state it.
std::string DescribeBytes(uint64_t bytes);

}  // namespace matchguard

#include "src/encode/clk_batch.h"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <mutex>

namespace matchguard {

namespace {
constexpr size_t kGrain = 256;
}

void ParallelRanges(int threads, size_t n, const std::function<void(size_t, size_t)>& body) {
  auto run = [&] {
    tbb::parallel_for(tbb::blocked_range<size_t>(0, n, kGrain),
                      [&](const tbb::blocked_range<size_t>& range) { body(range.begin(), range.end()); });
  };
  if (threads > 0) {
    tbb::task_arena arena(threads);
    arena.execute(run);
  } else {
    run();
  }
}

std::vector<RowError> EncodeTable(const ClkEncoder& encoder, const Table& table, int threads, ClkSet* clks,
                                  std::optional<size_t> salt_column, size_t salt_chars) {
  size_t n = table.num_rows();
  clks->Resize(encoder.schema().l, n);
  std::vector<RowError> errors;
  std::mutex errors_mutex;
  tbb::enumerable_thread_specific<ClkEncoder::WorkerPtr> workers([&] { return encoder.NewWorker(); });
  ParallelRanges(threads, n, [&](size_t begin, size_t end) {
    ClkEncoder::Worker& worker = *workers.local();
    std::vector<std::string_view> values(table.num_columns());
    for (size_t row = begin; row < end; ++row) {
      for (size_t c = 0; c < values.size(); ++c) values[c] = table.Get(c, row);
      std::string_view salt = salt_column ? table.Get(*salt_column, row) : std::string_view();
      if (salt_chars > 0) salt = salt.substr(0, salt_chars);
      FieldError error;
      if (!encoder.Encode(worker, values, clks->mutable_row(row), &error, salt)) {
        std::lock_guard<std::mutex> lock(errors_mutex);
        errors.push_back({row, std::move(error)});
      }
    }
  });
  std::sort(errors.begin(), errors.end(), [](const RowError& a, const RowError& b) { return a.row < b.row; });
  return errors;
}

}  // namespace matchguard

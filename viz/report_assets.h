// Files embedded into the binary at configure time (CMakeLists.txt, cmake/EmbedFiles.cmake): the
// report's style sheet and script (viz/report.css, viz/report.js), and Apache ECharts
// (viz/node_modules/echarts/dist/echarts.min.js, installed by `npm ci --prefix viz`). When ECharts
// was not installed at configure time, echarts_min_js() is empty and `dctwin report` exits 3.
#pragma once
#include <string_view>

namespace dctwin::embedded {
std::string_view report_css();
std::string_view report_js();
std::string_view echarts_min_js();
}  // namespace dctwin::embedded

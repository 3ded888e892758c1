// Numbers, times and money as a report writes them in its tables and notes.
#pragma once
#include <string>

namespace dctwin::viz {

// `decimals` after the point, thousands separated by commas: fmt(12345.678, 1) = "12,345.7".
std::string fmt(double v, int decimals);
// Four significant digits ("%.4g"): fmt_g(0.1) = "0.1", fmt_g(123456) = "1.235e+05".
std::string fmt_g(double v);
// Seconds as a clock, H:MM:SS.s (hours not wrapped): clock(3725.5) = "1:02:05.5".
std::string clock(double t_s);
// A time in the run: "3,725.5 s (1:02:05.5)".
std::string fmt_t(double t_s);
// A length of time in the largest unit that reads well: days from 2 days, h from 2 h, min from
// 120 s, else s.
std::string fmt_duration(double s);
// An interval's name: ms below 1 s, s below 1 min, min below 1 h, else h ("100 ms", "15 min").
std::string interval_label(double s);
// US dollars, whole, with thousands separators: "$1,234".
std::string usd(double v);

}  // namespace dctwin::viz

// A report printed to PDF with an installed Chromium, headless (`dctwin report --pdf`). Chromium is
// looked for before anything is written, so a missing browser leaves nothing behind; the PDF is
// printed to a temporary file beside its final name and renamed when complete: never half a PDF.
#pragma once
#include <string>
#include <vector>

namespace dctwin::viz {

// Chromium from $DCTWIN_CHROMIUM (when set: that path, or "" when it does not exist) or else the
// first of chromium, chromium-browser, google-chrome, google-chrome-stable that is executable in a
// folder of $PATH (Debian's package is `chromium`); "" when there is none.
std::string find_chromium();

// find_chromium(), or throws EnvironmentError (exit 3) saying how to install it and that nothing
// was written.
std::string require_chromium();

// Where the PDF of an HTML report goes: the same path with the extension .pdf.
std::string pdf_path_for(const std::string& html_path);

// The command line (argv, program first) that prints `html` (as a file:// URL of its absolute
// path) to `pdf`: headless, no sandbox, no GPU, no first-run, background networking, component
// updates or sync, a throw-away profile in profile_dir, no header or footer on the pages.
std::vector<std::string> chromium_print_args(const std::string& chromium, const std::string& profile_dir,
                                             const std::string& html, const std::string& pdf);

// Prints the report at html_path with `chromium` to pdf_path_for(html_path) and returns that path.
// Throws EnvironmentError (exit 3) naming Chromium's exit status when it fails or writes no file;
// no partial PDF is left.
std::string print_pdf(const std::string& chromium, const std::string& html_path);

}  // namespace dctwin::viz

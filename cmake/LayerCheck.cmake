# Layering, enforced at link time. Every layer library is linked alone, whole (every object file of
# it, not only those something asks for), into an executable together with exactly the libraries it
# may use. A function of a layer that calls into a layer above it (models/ calling sim/, core/
# calling models/, gpu_runtime/ calling sim/, sim/ calling viz/) leaves an undefined reference, and
# that executable, built by default, fails to link. The executables do nothing when run.
#
#   layer          may use (besides Debian packages)
#   core/          nothing of ours
#   models/        nothing of ours
#   sim/           core, models
#   viz/           sim, core, models
#   gpu_runtime/   core, models
set(DCTWIN_LAYER_STUB ${CMAKE_BINARY_DIR}/generated/dctwin/layer_check_main.cpp)
file(WRITE ${DCTWIN_LAYER_STUB} "int main() { return 0; }\n")
foreach(layer dctwin_core dctwin_models dctwin_sim dctwin_viz dctwin_gpu)
  add_executable(layer_check_${layer} ${DCTWIN_LAYER_STUB})
  target_link_libraries(layer_check_${layer} PRIVATE "$<LINK_LIBRARY:WHOLE_ARCHIVE,${layer}>")
  set_target_properties(layer_check_${layer} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/layer-check)
endforeach()

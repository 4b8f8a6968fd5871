# Warnings as a private interface target: our own code is strict, users of the libraries are not
# forced to inherit our flags.
add_library(l1emu_warnings INTERFACE)
target_compile_options(l1emu_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align -Wunused -Woverloaded-virtual
  -Wimplicit-fallthrough)
# (-Wnull-dereference is left out: at -O3 it fires inside Boost.ProgramOptions and libstdc++ inlines.)
if(L1EMU_WERROR)
  target_compile_options(l1emu_warnings INTERFACE -Werror)
endif()
# g++ 12 reports false -Wrestrict errors at -O3 inside std::string operations that Boost's
# cpp_int string conversion inlines (GCC bug 105651); they are not in our code.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(l1emu_warnings INTERFACE -Wno-restrict)
endif()

# Warnings as a private interface target: our own code is strict, users of the libraries are not
# forced to inherit our flags.
add_library(l1emu_warnings INTERFACE)
target_compile_options(l1emu_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align -Wunused -Woverloaded-virtual
  -Wimplicit-fallthrough)
# (-Wnull-dereference is left out: at -O3 it fires inside Boost.ProgramOptions and libstdc++ inlines.)
if(L1EMU_WERROR)
  target_compile_options(l1emu_warnings INTERFACE -Werror)
  # GCC 12 at -O3 reports a bogus -Wrestrict inside libstdc++'s std::string insert/replace when a
  # 1-character literal is inserted or prepended (GCC bugs 105329 and 105651, fixed in GCC 13); it
  # fires on FixedType::to_string and to_decimal. Keep the warning visible but not fatal there.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(l1emu_warnings INTERFACE -Wno-error=restrict)
  endif()
endif()
# g++ 12 reports false -Wrestrict errors at -O3 inside std::string operations that Boost's
# cpp_int string conversion inlines (GCC bug 105651); they are not in our code.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(l1emu_warnings INTERFACE -Wno-restrict)
endif()

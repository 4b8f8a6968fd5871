# Warnings as a private interface target: our own code is strict, users of the libraries are not
# forced to inherit our flags.
add_library(l1emu_warnings INTERFACE)
target_compile_options(l1emu_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align -Wunused -Woverloaded-virtual
  -Wnull-dereference -Wimplicit-fallthrough)
if(L1EMU_WERROR)
  target_compile_options(l1emu_warnings INTERFACE -Werror)
endif()

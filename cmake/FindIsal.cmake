# FindIsal: Intel's ISA-L (Debian's libisal-dev), which ships a pkg-config file but no CMake config.
# Defines Isal_FOUND, Isal_INCLUDE_DIR, Isal_LIBRARY, Isal_VERSION (from isa-l.h) and the imported
# target Isal::Isal. l1emu uses its igzip deflate (isa-l/igzip_lib.h).
find_path(Isal_INCLUDE_DIR NAMES isa-l/igzip_lib.h)
find_library(Isal_LIBRARY NAMES isal)
if(Isal_INCLUDE_DIR AND EXISTS "${Isal_INCLUDE_DIR}/isa-l.h")
  foreach(_part MAJOR MINOR PATCH)
    file(STRINGS "${Isal_INCLUDE_DIR}/isa-l.h" _isal_line REGEX "^#define ISAL_${_part}_VERSION ")
    string(REGEX REPLACE "^#define ISAL_${_part}_VERSION +([0-9]+).*" "\\1" _isal_${_part} "${_isal_line}")
  endforeach()
  set(Isal_VERSION "${_isal_MAJOR}.${_isal_MINOR}.${_isal_PATCH}")
  unset(_isal_line)
  unset(_isal_MAJOR)
  unset(_isal_MINOR)
  unset(_isal_PATCH)
endif()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(Isal REQUIRED_VARS Isal_LIBRARY Isal_INCLUDE_DIR VERSION_VAR Isal_VERSION)

if(Isal_FOUND AND NOT TARGET Isal::Isal)
  add_library(Isal::Isal UNKNOWN IMPORTED)
  set_target_properties(Isal::Isal PROPERTIES IMPORTED_LOCATION "${Isal_LIBRARY}" INTERFACE_INCLUDE_DIRECTORIES "${Isal_INCLUDE_DIR}")
endif()
mark_as_advanced(Isal_INCLUDE_DIR Isal_LIBRARY)

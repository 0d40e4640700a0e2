// The one translation unit that compiles Asio and Beast (the library defines
// BOOST_ASIO_SEPARATE_COMPILATION and BOOST_BEAST_SEPARATE_COMPILATION), so
// the other files only parse their declarations.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>

# cmake -DIN=<file> -DOUT=<file.cpp> -DNAME=<symbol> -P embed.cmake
# Writes the bytes of IN as `extern const unsigned char NAME[]; extern const unsigned NAMESize;`.
file(READ ${IN} hex HEX)
string(LENGTH "${hex}" hex_len)
math(EXPR size "${hex_len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" bytes "${bytes}")
file(WRITE ${OUT} "// Generated from ${IN} by assets/embed.cmake: do not edit.\n#include \"embedded.hpp\"\n"
  "namespace imroom::assets {\nconst unsigned char ${NAME}[] = {\n${bytes}};\nconst unsigned ${NAME}Size = ${size};\n}\n")

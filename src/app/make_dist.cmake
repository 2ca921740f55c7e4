# cmake -DSRC=<repo> -DAPP_DIR=<folder of imroom-app.js/.wasm> -DDIST=<out> -P make_dist.cmake
file(REMOVE_RECURSE ${DIST})
file(MAKE_DIRECTORY ${DIST})
file(GLOB shell_files ${SRC}/shell/*)
file(GLOB web_files ${SRC}/web/*)
list(FILTER web_files EXCLUDE REGEX "/post\\.js$")  # linked into the app, not served
file(COPY ${shell_files} ${web_files} ${APP_DIR}/imroom-app.js ${APP_DIR}/imroom-app.wasm DESTINATION ${DIST})

# The loader shows download progress; it needs the wasm's size because a gzip response's
# Content-Length is the compressed size while the stream yields uncompressed bytes.
file(SIZE ${APP_DIR}/imroom-app.wasm wasm_bytes)
file(READ ${DIST}/imroom.js loader)
string(REPLACE "__IMROOM_WASM_BYTES__" "${wasm_bytes}" loader "${loader}")
file(WRITE ${DIST}/imroom.js "${loader}")

file(GLOB compressible ${DIST}/*.html ${DIST}/*.js ${DIST}/*.css ${DIST}/*.wasm ${DIST}/*.svg)
foreach(f ${compressible})
  execute_process(COMMAND gzip -9 -n -k -f ${f} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "gzip failed for ${f}")
  endif()
endforeach()

#!/usr/bin/env bash
# Regenerates Protos/Generated/ (the TradeAPI target) from Protos/**/*.proto.
#
# Uses Debian's protoc (installed through apt if missing) and the two Swift
# plugins built from the package versions this repository resolves, in their own
# scratch path (.build-protoc, git-ignored) so the normal build is untouched.
# The generated code is committed: building the project never needs this
# script, protoc or a SwiftPM build plugin (which would compile protoc from
# source on every clean build).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v protoc >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq protobuf-compiler
fi
include=/usr/include  # google/protobuf/timestamp.proto ships with protobuf-compiler
test -f "$include/google/protobuf/timestamp.proto" || { echo "protoc's well-known types are missing under $include"; exit 1; }

scratch=.build-protoc
swift build --scratch-path "$scratch" --product protoc-gen-swift -Xswiftc -num-threads -Xswiftc 2
swift build --scratch-path "$scratch" --product protoc-gen-grpc-swift-2 -Xswiftc -num-threads -Xswiftc 2
bin="$(swift build --scratch-path "$scratch" --show-bin-path)"

out=Protos/Generated
rm -rf "$out"
mkdir -p "$out"
protos=$(cd Protos && find tradeengine grpc -name '*.proto' | sort)
(cd Protos && protoc -I . -I "$include" \
    --plugin=protoc-gen-swift="$bin/protoc-gen-swift" \
    --plugin=protoc-gen-grpc-swift="$bin/protoc-gen-grpc-swift-2" \
    --swift_out="$OLDPWD/$out" --swift_opt=Visibility=Public \
    --grpc-swift_out="$OLDPWD/$out" --grpc-swift_opt=Visibility=Public,Client=true,Server=true \
    $protos)
echo "generated $(find "$out" -name '*.swift' | wc -l) files in $out from: $(echo $protos)"

// The codec core's version string (lets the core library build before the codec sources land).
namespace leakproof::gpr {
const char* CoreVersion() { return "0.1.0"; }
}  // namespace leakproof::gpr

// The one promise worker of the binding: every async entry hands QueuePromise its state, the work that runs on the
// libuv pool and the builder of the resolved value; the worker settles the promise on the main thread.
#pragma once
#include <napi.h>

#include <exception>
#include <utility>

#include "binding/status_error.h"
#include "gpr/gpr_status.h"

namespace leakproof::binding {

// State: anything movable, owned by the worker and destroyed with it on the main thread (so it may hold
// Napi::References that keep the caller's buffers alive). Work (`execute`): gpr::Status(State&), runs off the main
// thread and must not touch JS. Settle (`resolve`): Napi::Value(Napi::Env, State&), runs on the main thread after an ok
// Status and builds the resolved value.
// A non-ok Status rejects with StatusError; a C++ exception from `execute` is caught on the worker thread and one from
// `resolve` on the main thread, and both reject with StatusFromException's GPR_E_* error, so no promise stays pending.
template <typename State, typename Work, typename Settle>
class PromiseWorker final : public Napi::AsyncWorker {
 public:
  PromiseWorker(Napi::Env env, const char* resource, State state, Work execute, Settle resolve)
      : Napi::AsyncWorker(env, resource),
        deferred_(Napi::Promise::Deferred::New(env)),
        state_(std::move(state)),
        execute_(std::move(execute)),
        resolve_(std::move(resolve)) {}

  Napi::Promise Promise() const { return deferred_.Promise(); }

 protected:
  void Execute() override {
    try {
      status_ = execute_(state_);
    } catch (const std::exception& e) {
      status_ = StatusFromException(e);
    } catch (...) {
      status_ = UnknownExceptionStatus();
    }
  }

  void OnOK() override {
    Napi::Env env = Env();
    Napi::HandleScope scope(env);
    if (!status_.ok()) {
      deferred_.Reject(StatusError(env, status_).Value());
      return;
    }
    try {
      deferred_.Resolve(resolve_(env, state_));
    } catch (const Napi::Error& e) {
      deferred_.Reject(e.Value());
    } catch (const std::exception& e) {
      deferred_.Reject(StatusError(env, StatusFromException(e)).Value());
    }
  }

  // Reached only through AsyncWorker::SetError, which this worker does not call; kept so a future SetError rejects.
  void OnError(const Napi::Error& e) override { deferred_.Reject(e.Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  State state_;
  Work execute_;
  Settle resolve_;
  gpr::Status status_;
};

// Queues a PromiseWorker and returns its promise (see PromiseWorker for the three arguments).
template <typename State, typename Work, typename Settle>
Napi::Value QueuePromise(Napi::Env env, const char* resource, State state, Work execute, Settle resolve) {
  auto* worker =
      new PromiseWorker<State, Work, Settle>(env, resource, std::move(state), std::move(execute), std::move(resolve));
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

}  // namespace leakproof::binding

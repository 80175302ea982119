// Locas Bench's own native library: fused ATen kernels and CUDA-graph capture/replay for the Java fast path,
// working on DJL's tensor handles (a DJL PyTorch handle is the address of a heap-allocated torch::Tensor; results
// are returned the same way, and DJL's NDArray takes ownership and deletes them).
//
// Java side: model/src/main/java/org/locasbench/model/engine/NativeTorch.java (the declarations, one per function
// below) and FastPath.java (loading, version check, which path runs). Built against the libtorch the process runs
// with (native/build.sh); nothing of DJL's native code is used or needed here.
#include <jni.h>

#include <ATen/ATen.h>
#include <torch/autograd.h>
#include <torch/version.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#ifdef LOCAS_WITH_CUDA
#include <ATen/cuda/CUDAGraph.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAException.h>
#include <c10/cuda/CUDAStream.h>
#include <cuda_runtime_api.h>
#endif

namespace {

constexpr const char* kException = "org/locasbench/model/engine/NativeTorchException";

void throwJava(JNIEnv* env, const std::string& message) {
  jclass c = env->FindClass(kException);
  if (c == nullptr) {  // FindClass left a NoClassDefFoundError pending
    return;
  }
  env->ThrowNew(c, message.c_str());
}

// Runs body; any C++ exception becomes one NativeTorchException (c10::Error's message without its backtrace).
template <typename R, typename F>
R guarded(JNIEnv* env, R fallback, F body) {
  try {
    return body();
  } catch (const c10::Error& e) {
    throwJava(env, e.what_without_backtrace());
  } catch (const std::exception& e) {
    throwJava(env, e.what());
  } catch (...) {
    throwJava(env, "unknown C++ exception in the native library");
  }
  return fallback;
}

at::Tensor& tensor(jlong handle) { return *reinterpret_cast<at::Tensor*>(handle); }

jlong handleOf(at::Tensor t) { return reinterpret_cast<jlong>(new at::Tensor(std::move(t))); }

std::vector<at::Tensor> tensors(JNIEnv* env, jlongArray handles) {
  jsize n = env->GetArrayLength(handles);
  std::vector<jlong> raw(n);
  env->GetLongArrayRegion(handles, 0, n, raw.data());
  std::vector<at::Tensor> out;
  out.reserve(n);
  for (jlong h : raw) {
    TORCH_CHECK(h != 0, "a null tensor handle");
    out.push_back(tensor(h));
  }
  return out;
}

// -log softmax(hidden W^T)[target] per position, the vocabulary's logits made chunk by chunk and never kept: the
// forward keeps only its inputs, the backward makes each chunk's logits again (one more LM-head matmul) and turns
// them into d hidden = (softmax - onehot(target)) * grad W. Logits are fp32 per chunk under fp16 (fp64 stays). The
// weight is frozen (no gradient): a weight that requires one is refused.
struct ChunkedLinearNll : public torch::autograd::Function<ChunkedLinearNll> {
  // logits [to - from, V] of positions from..to-1 in the accumulation dtype
  static at::Tensor logits(const at::Tensor& hidden, const at::Tensor& weight, int64_t from, int64_t to,
                           at::ScalarType acc) {
    return at::matmul(hidden.slice(0, from, to), weight.t()).to(acc);
  }

  static at::Tensor forward(torch::autograd::AutogradContext* ctx, const at::Tensor& hidden, const at::Tensor& weight,
                            const at::Tensor& targets, int64_t chunk) {
    TORCH_CHECK(!weight.requires_grad(), "linearNll: the LM-head weight must be frozen");
    TORCH_CHECK(chunk > 0, "linearNll: chunk must be positive, got ", chunk);
    TORCH_CHECK(hidden.dim() == 2 && targets.dim() == 1 && hidden.size(0) == targets.size(0), "linearNll: hidden ",
                hidden.sizes(), " and targets ", targets.sizes(), " (want [N, d] and [N])");
    ctx->save_for_backward({hidden, targets});
    ctx->saved_data["weight"] = weight;
    ctx->saved_data["chunk"] = chunk;
    at::NoGradGuard off;
    int64_t n = hidden.size(0);
    const auto acc = at::promote_types(hidden.scalar_type(), at::kFloat);  // fp16 -> fp32, fp64 stays fp64
    at::Tensor out = at::empty({n}, hidden.options().dtype(acc));
    for (int64_t from = 0; from < n; from += chunk) {
      int64_t to = std::min(n, from + chunk);
      at::Tensor chunkLogits = logits(hidden, weight, from, to, acc);
      at::Tensor target = targets.slice(0, from, to).unsqueeze(1);
      out.slice(0, from, to).copy_(chunkLogits.logsumexp(-1) - chunkLogits.gather(1, target).squeeze(1));
    }
    return out;
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grads) {
    auto saved = ctx->get_saved_variables();
    const at::Tensor& hidden = saved[0];
    const at::Tensor& targets = saved[1];
    at::Tensor weight = ctx->saved_data["weight"].toTensor();
    int64_t chunk = ctx->saved_data["chunk"].toInt();
    const at::Tensor& grad = grads[0];
    int64_t n = hidden.size(0);
    at::Tensor gradHidden = at::empty_like(hidden);
    const auto acc = at::promote_types(hidden.scalar_type(), at::kFloat);
    for (int64_t from = 0; from < n; from += chunk) {
      int64_t to = std::min(n, from + chunk);
      at::Tensor probs = logits(hidden, weight, from, to, acc).softmax(-1);
      at::Tensor target = targets.slice(0, from, to).unsqueeze(1);
      probs.scatter_add_(1, target, at::full({to - from, 1}, -1.0f, probs.options()));
      probs.mul_(grad.slice(0, from, to).unsqueeze(1));
      gradHidden.slice(0, from, to).copy_(at::matmul(probs.to(hidden.scalar_type()), weight));
    }
    return {gradHidden, at::Tensor(), at::Tensor(), at::Tensor()};
  }
};

#ifdef LOCAS_WITH_CUDA
// One capture: the graph, and the side stream it is captured on (CUDA graphs cannot be captured on the legacy
// default stream); replays run on the caller's current stream.
struct Graph {
  at::cuda::CUDAGraph graph;
  // the graph's memory pool, by a handle of our own (as torch.cuda.graph(pool=graph_pool_handle())): CUDAGraph::pool()
  // answers only after a successful capture, and a failed one must still hand its pool back
  at::cuda::MempoolId_t pool = at::cuda::graph_pool_handle();
  c10::DeviceIndex device = 0;
  bool captured = false;
};

// The side stream a thread's fast-path work runs on (warm-up and capture on the same stream, so cuBLAS workspaces
// and allocator blocks made in the warm-up are the ones the capture sees), and the stream it replaced.
struct StreamSwap {
  c10::cuda::CUDAStream side;
  c10::cuda::CUDAStream previous;
  c10::DeviceIndex previousDevice;
};
#endif

}  // namespace

extern "C" {

// "torch 2.11.0 cuda cxx11abi=1": the libtorch this library was compiled against, whether it has CUDA, its C++ ABI.
JNIEXPORT jstring JNICALL Java_org_locasbench_model_engine_NativeTorch_buildInfo(JNIEnv* env, jclass) {
  std::string info = "torch " + std::to_string(TORCH_VERSION_MAJOR) + "." + std::to_string(TORCH_VERSION_MINOR) + "." +
                     std::to_string(TORCH_VERSION_PATCH);
#ifdef LOCAS_WITH_CUDA
  info += " cuda";
#else
  info += " cpu";
#endif
  info += " cxx11abi=" + std::to_string(_GLIBCXX_USE_CXX11_ABI);
  return env->NewStringUTF(info.c_str());
}

// softmax(q k^T * scale + causal) v through at::scaled_dot_product_attention (flash / memory-efficient kernels on
// CUDA, differentiable). q [B, H, T, D]; k, v [B, KV, S, D] with H a multiple of KV when gqa.
JNIEXPORT jlong JNICALL Java_org_locasbench_model_engine_NativeTorch_attention(JNIEnv* env, jclass, jlong q, jlong k,
                                                                              jlong v, jboolean causal, jdouble scale,
                                                                              jboolean gqa) {
  return guarded<jlong>(env, 0, [&] {
    return handleOf(at::scaled_dot_product_attention(tensor(q), tensor(k), tensor(v), std::nullopt, 0.0,
                                                     causal == JNI_TRUE, scale, gqa == JNI_TRUE));
  });
}

// silu(gate) * up with ATen's silu (saves only its input for the backward pass, where x * sigmoid(x) keeps x and
// sigmoid(x)): one activation of [tokens, intermediate] less per layer, and one kernel less.
JNIEXPORT jlong JNICALL Java_org_locasbench_model_engine_NativeTorch_swiGlu(JNIEnv* env, jclass, jlong gate, jlong up) {
  return guarded<jlong>(env, 0, [&] { return handleOf(at::silu(tensor(gate)) * tensor(up)); });
}

// Per-position NLL [N] (fp32) of targets [N] under logits hidden [N, d] x weight [V, d]^T, chunk positions at a time
// (ChunkedLinearNll): differentiable with respect to hidden.
JNIEXPORT jlong JNICALL Java_org_locasbench_model_engine_NativeTorch_linearNll(JNIEnv* env, jclass, jlong hidden,
                                                                              jlong weight, jlong targets,
                                                                              jint chunk) {
  return guarded<jlong>(env, 0, [&] {
    return handleOf(ChunkedLinearNll::apply(tensor(hidden), tensor(weight), tensor(targets), chunk));
  });
}

// w * x / sqrt(mean(x^2) + eps) over the last axis (at::rms_norm: one fused kernel, statistics in fp32).
JNIEXPORT jlong JNICALL Java_org_locasbench_model_engine_NativeTorch_rmsNorm(JNIEnv* env, jclass, jlong x, jlong w,
                                                                            jdouble eps) {
  return guarded<jlong>(env, 0, [&] {
    const at::Tensor& weight = tensor(w);
    return handleOf(at::rms_norm(tensor(x), {weight.size(-1)}, weight, eps));
  });
}

// torch.optim.AdamW(fused=True)'s update of every parameter from its .grad, then the gradients zeroed:
// step += 1; one _fused_adamw_ over all parameters (bias corrections from the device step, lr a device tensor, so
// nothing here reads the host and the call can be captured); with found_inf != 0 the kernel leaves parameters and
// moments untouched and the step is taken back, as torch.optim does for GradScaler's skipped steps. Every parameter
// shares the one step tensor [] (all were updated equally often). found_inf: 0-d float tensor, or 0 for none.
JNIEXPORT void JNICALL Java_org_locasbench_model_engine_NativeTorch_fusedAdamW(
    JNIEnv* env, jclass, jlongArray params, jlongArray firstMoments, jlongArray secondMoments, jlong step, jlong lr,
    jdouble beta1, jdouble beta2, jdouble weightDecay, jdouble eps, jlong foundInf) {
  guarded<int>(env, 0, [&] {
    std::vector<at::Tensor> p = tensors(env, params);
    std::vector<at::Tensor> m = tensors(env, firstMoments);
    std::vector<at::Tensor> v = tensors(env, secondMoments);
    TORCH_CHECK(p.size() == m.size() && p.size() == v.size(), "fusedAdamW: ", p.size(), " parameters, ", m.size(),
                " first and ", v.size(), " second moments");
    std::vector<at::Tensor> grads;
    grads.reserve(p.size());
    for (size_t i = 0; i < p.size(); i++) {
      const at::Tensor& g = p[i].grad();
      TORCH_CHECK(g.defined(), "fusedAdamW: parameter ", i, " has no gradient (run backward first)");
      grads.push_back(g);
    }
    at::Tensor& t = tensor(step);
    std::optional<at::Tensor> found;
    if (foundInf != 0) {
      found = tensor(foundInf);
    }
    std::vector<at::Tensor> steps(p.size(), t);
    t.add_(1);
    at::_fused_adamw_(p, grads, m, v, {}, steps, tensor(lr), beta1, beta2, weightDecay, eps, false, false,
                      std::nullopt, found);
    if (found) {
      t.sub_(*found);
    }
    at::_foreach_zero_(grads);
    return 0;
  });
}

// dst.copy_(values) in place: the same storage, so a CUDA graph that reads dst sees the new values (DJL's set(Buffer)
// swaps a CUDA tensor's storage instead). dst: int64, values.length elements.
JNIEXPORT void JNICALL Java_org_locasbench_model_engine_NativeTorch_copyLongs(JNIEnv* env, jclass, jlong dst,
                                                                             jlongArray values) {
  guarded<int>(env, 0, [&] {
    at::Tensor& t = tensor(dst);
    jsize n = env->GetArrayLength(values);
    TORCH_CHECK(t.numel() == n && t.scalar_type() == at::kLong && t.is_contiguous(), "copyLongs: ", n,
                " values into a tensor of ", t.numel(), " ", t.scalar_type(), " elements");
    std::vector<int64_t> host(n);
    env->GetLongArrayRegion(values, 0, n, reinterpret_cast<jlong*>(host.data()));
    t.copy_(at::from_blob(host.data(), t.sizes(), at::TensorOptions().dtype(at::kLong)));
    return 0;
  });
}

// dst.fill_(value) in place (the value goes to the kernel as an argument: no host-to-device copy).
JNIEXPORT void JNICALL Java_org_locasbench_model_engine_NativeTorch_fill(JNIEnv* env, jclass, jlong dst,
                                                                        jdouble value) {
  guarded<int>(env, 0, [&] {
    tensor(dst).fill_(value);
    return 0;
  });
}

// Whether this library can capture CUDA graphs (built against a CUDA libtorch).
JNIEXPORT jboolean JNICALL Java_org_locasbench_model_engine_NativeTorch_hasCuda(JNIEnv*, jclass) {
#ifdef LOCAS_WITH_CUDA
  return JNI_TRUE;
#else
  return JNI_FALSE;
#endif
}

#ifdef LOCAS_WITH_CUDA
#define LOCAS_CUDA_ONLY(body) body
#else
#define LOCAS_CUDA_ONLY(body) \
  throwJava(env, "this build of the native library has no CUDA (rebuild native/ against a CUDA libtorch)");
#endif

// Makes a pool stream of device `device` (and that device) this thread's current ones, after the stream waits for the
// work queued on the current one; returns a handle for leaveSideStream.
JNIEXPORT jlong JNICALL Java_org_locasbench_model_engine_NativeTorch_enterSideStream(JNIEnv* env, jclass,
                                                                                    jint device) {
  LOCAS_CUDA_ONLY(return guarded<jlong>(env, 0, [&] {
    c10::DeviceIndex previousDevice = c10::cuda::current_device();
    // DJL's "gpu" without an index is id -1: libtorch's current device, as its arrays land there
    auto index = device < 0 ? previousDevice : static_cast<c10::DeviceIndex>(device);
    c10::cuda::set_device(index);
    auto previous = c10::cuda::getCurrentCUDAStream(index);
    auto side = c10::cuda::getStreamFromPool(false, index);
    cudaEvent_t ready;
    C10_CUDA_CHECK(cudaEventCreateWithFlags(&ready, cudaEventDisableTiming));
    C10_CUDA_CHECK(cudaEventRecord(ready, previous.stream()));
    C10_CUDA_CHECK(cudaStreamWaitEvent(side.stream(), ready, 0));
    C10_CUDA_CHECK(cudaEventDestroy(ready));
    c10::cuda::setCurrentCUDAStream(side);
    return reinterpret_cast<jlong>(new StreamSwap{side, previous, previousDevice});
  });)
  return 0;
}

// Makes the replaced stream and device current again first (whatever happens next), then waits for the side stream's
// work; a CUDA error surfaces after the restore.
JNIEXPORT void JNICALL Java_org_locasbench_model_engine_NativeTorch_leaveSideStream(JNIEnv* env, jclass,
                                                                                   jlong handle) {
  LOCAS_CUDA_ONLY(guarded<int>(env, 0, [&] {
    std::unique_ptr<StreamSwap> swap(reinterpret_cast<StreamSwap*>(handle));
    c10::cuda::setCurrentCUDAStream(swap->previous);
    c10::cuda::set_device(swap->previousDevice);
    C10_CUDA_CHECK(cudaStreamSynchronize(swap->side.stream()));
    return 0;
  });)
}

// Hands the caching allocator's unused blocks back to the device (before a capture, whose private pool would
// otherwise come on top of the eager warm-up's cached blocks).
JNIEXPORT void JNICALL Java_org_locasbench_model_engine_NativeTorch_emptyCache(JNIEnv* env, jclass) {
  LOCAS_CUDA_ONLY(guarded<int>(env, 0, [&] {
    c10::cuda::device_synchronize();
    c10::cuda::CUDACachingAllocator::emptyCache();
    return 0;
  });)
}

JNIEXPORT jlong JNICALL Java_org_locasbench_model_engine_NativeTorch_graphNew(JNIEnv* env, jclass) {
  LOCAS_CUDA_ONLY(return guarded<jlong>(env, 0, [&] { return reinterpret_cast<jlong>(new Graph()); });)
  return 0;
}

// Starts capturing this thread's current stream (which must not be the default stream: enterSideStream).
JNIEXPORT void JNICALL Java_org_locasbench_model_engine_NativeTorch_graphBegin(JNIEnv* env, jclass, jlong graph) {
  LOCAS_CUDA_ONLY(guarded<int>(env, 0, [&] {
    auto* g = reinterpret_cast<Graph*>(graph);
    TORCH_CHECK(c10::cuda::getCurrentCUDAStream() != c10::cuda::getDefaultCUDAStream(),
                "graphBegin: the current stream is the default stream (call enterSideStream first)");
    g->device = c10::cuda::current_device();
    // global mode (torch.cuda.graph's default): an unsafe call from any thread, the autograd engine's device thread
    // that runs the backward pass on this stream included, invalidates the capture instead of corrupting it
    g->graph.capture_begin(g->pool);
    return 0;
  });)
}

// Ends the capture; a capture that an illegal call (host sync, pageable copy) invalidated throws here.
JNIEXPORT void JNICALL Java_org_locasbench_model_engine_NativeTorch_graphEnd(JNIEnv* env, jclass, jlong graph) {
  LOCAS_CUDA_ONLY(guarded<int>(env, 0, [&] {
    auto* g = reinterpret_cast<Graph*>(graph);
    g->graph.capture_end();
    g->captured = true;
    return 0;
  });)
}

// After a failed capture: leaves capture mode whatever state the stream is in and clears the sticky error, so the
// eager path can go on on the same stream.
JNIEXPORT void JNICALL Java_org_locasbench_model_engine_NativeTorch_graphAbort(JNIEnv* env, jclass, jlong graph) {
  LOCAS_CUDA_ONLY(guarded<int>(env, 0, [&] {
    auto stream = c10::cuda::getCurrentCUDAStream();
    cudaStreamCaptureStatus status;
    if (cudaStreamIsCapturing(stream, &status) == cudaSuccess && status != cudaStreamCaptureStatusNone) {
      cudaGraph_t partial = nullptr;
      cudaStreamEndCapture(stream, &partial);
      if (partial != nullptr) {
        cudaGraphDestroy(partial);
      }
    }
    cudaGetLastError();
    auto* g = reinterpret_cast<Graph*>(graph);
    // capture_end throws before it stops routing allocations to the graph's pool (and the Java side may never have
    // reached it): stop routing and hand the pool back here; if capture_end got that far, its destructor releases it
    bool routed = true;
    try {
      c10::cuda::CUDACachingAllocator::endAllocateToPool(g->device, g->pool);
    } catch (const c10::Error&) {
      routed = false;
    }
    if (routed) {
      c10::cuda::CUDACachingAllocator::releasePool(g->device, g->pool);
    }
    c10::DeviceIndex device = g->device;
    delete g;
    // capture_begin put the device's default generator in capture mode and only a capture_end that succeeds takes it
    // out: left so, the next eager random draw on the device fails ("Offset increment outside graph capture"). One
    // trivial capture on this (side) stream runs that epilogue; the generator's seed and offset are untouched.
    if (c10::cuda::getCurrentCUDAStream() != c10::cuda::getDefaultCUDAStream()) {
      at::cuda::CUDAGraph reset;
      reset.capture_begin();
      at::empty({1}, at::TensorOptions().device(at::kCUDA, device)).zero_();
      reset.capture_end();
    }
    return 0;
  });)
}

JNIEXPORT void JNICALL Java_org_locasbench_model_engine_NativeTorch_graphReplay(JNIEnv* env, jclass, jlong graph) {
  LOCAS_CUDA_ONLY(guarded<int>(env, 0, [&] {
    auto* g = reinterpret_cast<Graph*>(graph);
    TORCH_CHECK(g->captured, "graphReplay: nothing was captured");
    g->graph.replay();
    return 0;
  });)
}

JNIEXPORT void JNICALL Java_org_locasbench_model_engine_NativeTorch_graphDelete(JNIEnv* env, jclass, jlong graph) {
  LOCAS_CUDA_ONLY(guarded<int>(env, 0, [&] {
    delete reinterpret_cast<Graph*>(graph);
    return 0;
  });)
}

// A CUDA event with timing; record/elapsed below. Returned as a handle, freed by eventDelete.
JNIEXPORT jlong JNICALL Java_org_locasbench_model_engine_NativeTorch_eventNew(JNIEnv* env, jclass) {
  LOCAS_CUDA_ONLY(return guarded<jlong>(env, 0, [&] {
    cudaEvent_t event;
    C10_CUDA_CHECK(cudaEventCreate(&event));
    return reinterpret_cast<jlong>(event);
  });)
  return 0;
}

JNIEXPORT void JNICALL Java_org_locasbench_model_engine_NativeTorch_eventRecord(JNIEnv* env, jclass, jlong event) {
  LOCAS_CUDA_ONLY(guarded<int>(env, 0, [&] {
    C10_CUDA_CHECK(cudaEventRecord(reinterpret_cast<cudaEvent_t>(event), c10::cuda::getCurrentCUDAStream().stream()));
    return 0;
  });)
}

// Milliseconds of GPU time between two recorded events (waits for the later one).
JNIEXPORT jfloat JNICALL Java_org_locasbench_model_engine_NativeTorch_eventElapsedMs(JNIEnv* env, jclass,
                                                                                    jlong start, jlong end) {
  LOCAS_CUDA_ONLY(return guarded<jfloat>(env, 0.0f, [&] {
    auto e = reinterpret_cast<cudaEvent_t>(end);
    C10_CUDA_CHECK(cudaEventSynchronize(e));
    float ms = 0;
    C10_CUDA_CHECK(cudaEventElapsedTime(&ms, reinterpret_cast<cudaEvent_t>(start), e));
    return static_cast<jfloat>(ms);
  });)
  return 0.0f;
}

JNIEXPORT void JNICALL Java_org_locasbench_model_engine_NativeTorch_eventDelete(JNIEnv* env, jclass, jlong event) {
  LOCAS_CUDA_ONLY(guarded<int>(env, 0, [&] {
    C10_CUDA_CHECK(cudaEventDestroy(reinterpret_cast<cudaEvent_t>(event)));
    return 0;
  });)
}

}  // extern "C"

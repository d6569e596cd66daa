// One visitor from the kernel graph to LLVM IR (codegen.hpp).
//
// Layout of a kernel: the parameters are loaded once; a loop with one copy of the body
// takes W elements at a time (W = the target's lanes) with plain unaligned vector loads
// and stores, and the last n % W under a mask, so any n (0 included) and any alignment
// work, and an output may be the same array as an input (every input of a turn is
// loaded before any output of it is stored). Long calls store with non-temporal stores,
// and whole turns prefetch their inputs a few pages ahead; the memory-bound kernels run an
// unrolled loop first, whose stores are aligned and, with AVX-512, whose inputs at another
// offset are read as whole aligned vectors shifted into place (Emitter::loop).
//
// Arithmetic: f64 kernels compute in f64 lanes. Accurate f32 kernels (the default) load
// floats, compute in f64 lanes, constants at their double value, and round once when
// they store (docs/numerics.md, "Precision of f32 kernels"); fast f32 kernels compute in
// float lanes, constants rounded to float, with float vector math. Inputs and
// parameters arrive as floats; parameter gradients are summed in double lanes.
//
// NaN policy (LANGUAGE.md §3): one unordered compare per input; where any input is NaN,
// the value and every derivative are NaN, selected at the end, unless the root's
// arithmetic carries a NaN of every input to it by itself (carries_nan).
#include "codegen.hpp"

#include <array>
#include <cfloat>
#include <cmath>
#include <cstdlib>
#include <map>
#include <optional>
#include <unordered_map>

#include <llvm/IR/Constants.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/IntrinsicsX86.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Support/raw_ostream.h>

#include "compiler/error.hpp"
#include "compiler/interpret.hpp"
#include "error.hpp"
#include "vecmath/vecmath.hpp"

namespace actjit::jit {

int64_t streaming_threshold() {
    static const int64_t threshold = [] {
        const char* chosen = std::getenv("ACTJIT_STREAM_MIN");
        if (!chosen || !*chosen) return default_streaming_threshold;
        char* end = nullptr;
        long long v = std::strtoll(chosen, &end, 10);
        if (*end || v < 0) throw JitError(std::string("ACTJIT_STREAM_MIN: not a count of elements: ") + chosen);
        return static_cast<int64_t>(v);
    }();
    return threshold;
}

int prefetch_distance() {
    static const int distance = [] {
        const char* chosen = std::getenv("ACTJIT_PREFETCH");
        if (!chosen || !*chosen) return default_prefetch_distance;
        char* end = nullptr;
        long v = std::strtol(chosen, &end, 10);
        if (*end || v < 0 || v > (1 << 20)) throw JitError(std::string("ACTJIT_PREFETCH: not a distance in bytes: ") + chosen);
        return static_cast<int>(v);
    }();
    return distance;
}

int unroll_depth() {
    static const int depth = [] {
        const char* chosen = std::getenv("ACTJIT_UNROLL");
        if (!chosen || !*chosen) return default_unroll_depth;
        int v = std::atoi(chosen);
        if (v < 1 || v > 16) throw JitError(std::string("ACTJIT_UNROLL: not 1 to 16: ") + chosen);
        return v;
    }();
    return depth;
}

bool shifted_loads() {
    static const bool on = [] {
        const char* chosen = std::getenv("ACTJIT_SHIFTED_LOADS");
        if (!chosen || !*chosen || std::string_view(chosen) == "on") return true;
        if (std::string_view(chosen) == "off") return false;
        throw JitError(std::string("ACTJIT_SHIFTED_LOADS: not on or off: ") + chosen);
    }();
    return on;
}

KernelSymbols kernel_symbols(std::string_view base) {
    std::string b(base);
    return {b + "_forward", b + "_backward", b + "_forward_packed", b + "_backward_packed"};
}

namespace {

using llvm::Value;

class Emitter {
public:
    Emitter(llvm::LLVMContext& context, llvm::Module& module, const Gradient& gradient,
            const FunctionInfo& signature, const KernelOptions& options, const Target& target)
        : context_(context), module_(module), b_(context), gradient_(gradient), signature_(signature),
          options_(options), target_(target), lanes_(lanes_for(options, target)),
          sum_parts_(target.lanes(options.f32) / lanes_) {
        element_ = options.f32 ? b_.getFloatTy() : b_.getDoubleTy();
        stored_ = llvm::FixedVectorType::get(element_, static_cast<unsigned>(lanes_));
        wide_ = options.f32 && !options.fast;
        computed_ = llvm::FixedVectorType::get(wide_ || !options.f32 ? b_.getDoubleTy() : b_.getFloatTy(),
                                               static_cast<unsigned>(lanes_));
        sums_ = llvm::FixedVectorType::get(b_.getDoubleTy(), static_cast<unsigned>(lanes_));
        indices_ = llvm::FixedVectorType::get(b_.getInt64Ty(), static_cast<unsigned>(lanes_));
    }

    // Quick kernels leave the §5 entry points to the optimized ones (KernelOptions::quick).
    void emit(const KernelSymbols& symbols, Part part) {
        if (part != Part::Backward) {
            llvm::Function* body = emit_forward(symbols.forward_packed);
            if (!options_.quick) emit_wrapper(symbols.forward, body, inputs() + 1);
        }
        if (part != Part::Forward) {
            llvm::Function* body = emit_backward(symbols.backward_packed);
            if (!options_.quick) emit_wrapper(symbols.backward, body, 2 * inputs() + 2);
        }
    }

private:
    // Quick kernels take the target's double lanes (8 with AVX-512): vectors of 16
    // doubles would be split in two by the code generator, at twice its cost.
    static int lanes_for(const KernelOptions& options, const Target& target) {
        return target.lanes(options.f32 && !options.quick);
    }

    llvm::LLVMContext& context_;
    llvm::Module& module_;
    llvm::IRBuilder<> b_;
    const Gradient& gradient_;
    const FunctionInfo& signature_;
    KernelOptions options_;
    Target target_;
    int lanes_;
    // A parameter gradient's sum has the optimized kernels' lanes whatever the kernel's
    // (lane L takes the elements i with i % L == lane), so that a quick kernel sums in
    // the same order: it keeps sum_parts_ vectors of its lanes, turn t adding to part
    // t % sum_parts_.
    int sum_parts_;
    llvm::Type* element_;
    bool wide_;  // an f32 kernel computing in double lanes
    std::unordered_map<Expr, uint64_t> carries_;  // carries_nan, memoized
    llvm::FixedVectorType *stored_, *computed_, *sums_, *indices_;

    size_t inputs() const { return signature_.inputs.size(); }
    size_t params() const { return signature_.parameters.size(); }

    // ---- functions ----------------------------------------------------------------

    llvm::Function* function(const std::string& name, llvm::FunctionType* type) {
        auto* f = llvm::Function::Create(type, llvm::Function::ExternalLinkage, name, module_);
        f->addFnAttr(llvm::Attribute::NoUnwind);
        f->addFnAttr("target-cpu", target_.cpu);
        if (!target_.features.empty()) f->addFnAttr("target-features", target_.features);
        return f;
    }

    // A kernel's body is its `_packed` entry point (what the runtime calls): the arrays
    // from one array of pointers, then n, params, seed and the first element's index.
    llvm::Function* declare(const std::string& name) {
        llvm::Type* types[] = {b_.getPtrTy(), b_.getInt64Ty(), b_.getPtrTy(), b_.getInt64Ty(), b_.getInt64Ty()};
        llvm::Function* f = function(name, llvm::FunctionType::get(b_.getVoidTy(), types, false));
        // The §5 entry point calls it too: inlined there, it would be compiled twice.
        f->addFnAttr(llvm::Attribute::NoInline);
        const char* names[] = {"arrays", "n", "params", "seed", "first"};
        for (unsigned i = 0; i < 5; ++i) f->getArg(i)->setName(names[i]);
        return f;
    }

    // The §5 entry point: its arrays into an array of pointers, and the body at element 0.
    // Run once per call, not per element, it is left unoptimized (optnone), which the
    // code generator's passes skip (docs/numerics.md, "Compile cost").
    void emit_wrapper(const std::string& name, llvm::Function* body, size_t pointers) {
        std::vector<llvm::Type*> types(pointers, b_.getPtrTy());
        types.push_back(b_.getInt64Ty());  // n
        types.push_back(b_.getPtrTy());    // params
        types.push_back(b_.getInt64Ty());  // seed
        llvm::Function* f = function(name, llvm::FunctionType::get(b_.getVoidTy(), types, false));
        f->addFnAttr(llvm::Attribute::OptimizeNone);
        f->addFnAttr(llvm::Attribute::NoInline);
        b_.SetInsertPoint(llvm::BasicBlock::Create(context_, "entry", f));
        auto* table = llvm::ArrayType::get(b_.getPtrTy(), pointers);
        llvm::AllocaInst* arrays = b_.CreateAlloca(table, nullptr, "arrays");
        for (size_t i = 0; i < pointers; ++i)
            b_.CreateAlignedStore(f->getArg(static_cast<unsigned>(i)), b_.CreateConstInBoundsGEP2_64(table, arrays, 0, i),
                                  llvm::Align(8));
        auto arg = [&](size_t i) { return f->getArg(static_cast<unsigned>(pointers + i)); };
        b_.CreateCall(body, {arrays, arg(0), arg(1), arg(2), b_.getInt64(0)});
        b_.CreateRetVoid();
    }

    struct Frame {
        llvm::Function* function;
        Value* n;
        Value* params;
        Value* seed;
        Value* first;
        std::vector<Value*> param_values;  // splats, in the lanes' type
        std::vector<Value*> arrays;        // the pointers, in the packed order
    };

    Frame begin(llvm::Function* f, const std::vector<std::string>& names) {
        Frame frame{f, f->getArg(1), f->getArg(2), f->getArg(3), f->getArg(4), {}, {}};
        b_.SetInsertPoint(llvm::BasicBlock::Create(context_, "entry", f));
        for (size_t i = 0; i < names.size(); ++i) {
            Value* slot = b_.CreateConstInBoundsGEP1_64(b_.getPtrTy(), f->getArg(0), i);
            frame.arrays.push_back(b_.CreateAlignedLoad(b_.getPtrTy(), slot, llvm::Align(8), names[i]));
        }
        for (size_t p = 0; p < params(); ++p) {
            const std::string& name = signature_.parameters[p].name;
            Value* at = b_.CreateConstInBoundsGEP1_64(element_, frame.params, p, name + ".at");
            Value* scalar = b_.CreateAlignedLoad(element_, at, llvm::Align(options_.f32 ? 4 : 8), name);
            if (wide_) scalar = b_.CreateFPExt(scalar, b_.getDoubleTy());
            frame.param_values.push_back(b_.CreateVectorSplat(static_cast<unsigned>(lanes_), scalar, name));
        }
        return frame;
    }

    // The loop over the elements, with one copy of the body (`step`: the inputs' values
    // of W lanes -> the outputs' values). Each turn takes `count` elements from i: W,
    // except for the last n % W, which are loaded and stored under a mask (so any n and
    // any alignment work, and an output may be the same array as an input: every input of
    // a turn is loaded before any output of it is stored). From `stream_min` elements on
    // (streaming_threshold()), when the outputs are equally aligned, the stores are
    // non-temporal: a first, shorter turn brings the outputs to a vector boundary, and a
    // fence ends the loop. `mask` (the lanes that exist) is what step accumulates under.
    template <typename Step>
    void loop(Frame& frame, const std::vector<Value*>& inputs, const std::vector<Value*>& outputs, int unroll,
              Step step) {
        llvm::Function* f = frame.function;
        llvm::Type* i64 = b_.getInt64Ty();
        Value* W = b_.getInt64(lanes_);
        const uint64_t vector_bytes = static_cast<uint64_t>(lanes_) * (options_.f32 ? 4 : 8);
        // Whether to stream, and the first turn's length (W, or the elements before the
        // outputs' first vector boundary).
        // (A quick kernel never streams.)
        Value* stream = b_.getFalse();
        Value* head_end = b_.getInt64(0);
        Value* aligning = b_.getFalse();
        if (!options_.quick) {
            stream = b_.CreateICmpSGE(frame.n, b_.getInt64(streaming_threshold()), "stream.size");
            Value* misaligned = b_.CreateAnd(b_.CreatePtrToInt(outputs[0], i64), vector_bytes - 1, "misaligned");
            for (size_t o = 1; o < outputs.size(); ++o) {
                Value* other = b_.CreateAnd(b_.CreatePtrToInt(outputs[o], i64), vector_bytes - 1);
                stream = b_.CreateAnd(stream, b_.CreateICmpEQ(other, misaligned));
            }
            uint64_t element_bytes = options_.f32 ? 4 : 8;
            stream = b_.CreateAnd(stream, b_.CreateICmpEQ(b_.CreateAnd(misaligned, element_bytes - 1), b_.getInt64(0)),
                                  "stream");
            Value* head = b_.CreateUDiv(b_.CreateAnd(b_.CreateSub(b_.getInt64(vector_bytes), misaligned), vector_bytes - 1),
                                        b_.getInt64(element_bytes), "head");
            // The head turn ends at `head_end` (0: no head); whole turns run while i + W <= n.
            // Streaming or not, a call of some length aligns its first output's stores: a
            // vector store across two cache lines costs about two (every one of them, when
            // the arrays are 16-byte aligned as malloc gives them).
            aligning = b_.CreateAnd(b_.CreateICmpSGE(frame.n, b_.getInt64(align_min * lanes_)),
                                           b_.CreateICmpEQ(b_.CreateAnd(misaligned, element_bytes - 1), b_.getInt64(0)));
            head_end = b_.CreateSelect(b_.CreateOr(stream, aligning), head, b_.getInt64(0), "head.end");
        }
        Value* last_whole = b_.CreateSub(frame.n, W, "last.whole");
        // A cheap body (no vector math: the memory-bound kernels) first runs `unroll`
        // whole turns at a time in a loop of its own, plain stores, one branch per
        // iteration: the generic loop's branches would cost more than such a body. Not
        // when streaming, whose head and stores the generic loop does.
        Value* start = b_.getInt64(0);
        if (unroll > 1) {
            llvm::BasicBlock* before = b_.GetInsertBlock();
            auto* fast = llvm::BasicBlock::Create(context_, "unrolled", f);
            auto* after = llvm::BasicBlock::Create(context_, "unrolled.done", f);
            Value* block = b_.getInt64(lanes_ * unroll);
            // whole blocks after the head turn, [head_end, unrolled.end)
            Value* blocks = b_.CreateSDiv(b_.CreateSub(frame.n, head_end), block);
            Value* plain_end = b_.CreateAdd(head_end, b_.CreateMul(blocks, block));
            // Shifted loads: where the head turn aligned the first output and an input
            // sits at another offset within a vector, its plain loads would each straddle
            // two cache lines (at 1 MiB, relu6 forward 0.92x the handwritten loop's speed
            // with such arrays, docs/BENCHMARKS.md). Then every load takes one whole
            // aligned vector and a two-table permute (AVX-512's vpermi2ps/pd) shifts the
            // input's elements into the output's lanes, the previous vector carried over.
            // Only from shift_min_bytes per array on: where the arrays sit in L1 the
            // permutes cost more than the split loads. The blocks stop one vector early (the last turn's next vector must exist)
            // and the first vector is loaded under a mask of the lanes at or after the
            // head's end: no byte outside an array is read.
            Shifts shifts = shifts_for(inputs, head_end, vector_bytes);
            Value* shifted = b_.getFalse();
            Value* fast_end = plain_end;
            if (shifts.permute) {
                Value* beyond_l1 = b_.CreateICmpSGE(frame.n, b_.getInt64(shift_min_bytes / (options_.f32 ? 4 : 8)));
                shifted = b_.CreateAnd(b_.CreateAnd(shifts.any, aligning), beyond_l1, "shifted");
                Value* room = b_.CreateSub(b_.CreateSub(frame.n, head_end), W);
                Value* shifted_blocks = b_.CreateBinaryIntrinsic(llvm::Intrinsic::smax, b_.CreateSDiv(room, block), b_.getInt64(0));
                fast_end = b_.CreateSelect(shifted, b_.CreateAdd(head_end, b_.CreateMul(shifted_blocks, block)), plain_end);
            }
            fast_end = b_.CreateSelect(stream, b_.getInt64(0), fast_end, "unrolled.end");
            auto* check_head = llvm::BasicBlock::Create(context_, "unrolled.head.check", f, fast);
            auto* head_turn = llvm::BasicBlock::Create(context_, "unrolled.head", f, fast);
            auto* choose = llvm::BasicBlock::Create(context_, "unrolled.choose", f, fast);
            b_.CreateCondBr(b_.CreateICmpSGT(fast_end, head_end), check_head, after);
            // the head turn (head_end < W elements, under a mask) before the blocks
            b_.SetInsertPoint(check_head);
            b_.CreateCondBr(b_.CreateICmpSGT(head_end, b_.getInt64(0)), head_turn, choose);
            b_.SetInsertPoint(head_turn);
            Value* head_mask = b_.CreateICmpSLT(lane_numbers32(),
                                                b_.CreateVectorSplat(static_cast<unsigned>(lanes_), count32(head_end)), "head.mask");
            std::vector<Value*> head_values;
            for (Value* in : inputs)
                head_values.push_back(
                    b_.CreateMaskedLoad(stored_, in, align(), head_mask, llvm::Constant::getNullValue(stored_), in->getName()));
            for (Value*& v : head_values)
                if (wide_) v = b_.CreateFPExt(v, computed_);
            std::vector<Value*> head_results = step(b_.getInt64(0), head_mask, head_values);
            for (size_t o = 0; o < outputs.size(); ++o)
                b_.CreateMaskedStore(wide_ ? b_.CreateFPTrunc(head_results[o], stored_) : head_results[o], outputs[o], align(),
                                     head_mask);
            b_.CreateBr(choose);
            b_.SetInsertPoint(choose);
            std::vector<llvm::BasicBlock*> latches;
            // One iteration: `unroll` whole turns from j, each input's vector from `load`.
            auto turns = [&](Value* j, auto load) {
                Value* all = llvm::Constant::getAllOnesValue(llvm::FixedVectorType::get(b_.getInt1Ty(), static_cast<unsigned>(lanes_)));
                for (int u = 0; u < unroll; ++u) {
                    Value* at = b_.CreateAdd(j, b_.getInt64(u * lanes_), "j.at");
                    std::vector<Value*> values;
                    for (size_t k = 0; k < inputs.size(); ++k) values.push_back(load(k, u, at));
                    for (Value*& v : values)
                        if (wide_) v = b_.CreateFPExt(v, computed_);
                    std::vector<Value*> results = step(at, all, values);
                    for (size_t o = 0; o < outputs.size(); ++o) {
                        Value* r = wide_ ? b_.CreateFPTrunc(results[o], stored_) : results[o];
                        b_.CreateAlignedStore(r, b_.CreateInBoundsGEP(element_, outputs[o], at), align());
                    }
                }
            };
            auto* plain_loop = fast;
            if (shifts.permute) {
                auto* preheader = llvm::BasicBlock::Create(context_, "unrolled.shifted.first", f, fast);
                b_.CreateCondBr(shifted, preheader, fast);
                b_.SetInsertPoint(preheader);
                std::vector<Value*> first;
                for (size_t k = 0; k < inputs.size(); ++k) {
                    // the aligned vector holding element head_end (lanes before it unread)
                    Value* base = b_.CreateGEP(element_, inputs[k], b_.CreateSub(head_end, shifts.by[k]));
                    Value* wanted = b_.CreateICmpSGE(lane_numbers32(), b_.CreateVectorSplat(static_cast<unsigned>(lanes_), count32(shifts.by[k])));
                    first.push_back(b_.CreateMaskedLoad(stored_, base, llvm::Align(vector_bytes), wanted,
                                                        llvm::Constant::getNullValue(stored_), inputs[k]->getName() + ".first"));
                }
                auto* loop_block = llvm::BasicBlock::Create(context_, "unrolled.shifted", f, fast);
                b_.CreateBr(loop_block);
                b_.SetInsertPoint(loop_block);
                llvm::PHINode* j = b_.CreatePHI(i64, 2, "j");
                j->addIncoming(head_end, preheader);
                std::vector<llvm::PHINode*> carried;
                std::vector<Value*> previous;
                for (size_t k = 0; k < inputs.size(); ++k) {
                    carried.push_back(b_.CreatePHI(stored_, 2, inputs[k]->getName() + ".previous"));
                    carried.back()->addIncoming(first[k], preheader);
                    previous.push_back(carried.back());
                }
                turns(j, [&](size_t k, int u, Value*) {
                    Value* index = b_.CreateAdd(b_.CreateSub(j, shifts.by[k]), b_.getInt64((u + 1) * lanes_));
                    Value* next = b_.CreateAlignedLoad(stored_, b_.CreateInBoundsGEP(element_, inputs[k], index),
                                                       llvm::Align(vector_bytes), inputs[k]->getName() + ".next");
                    Value* v = b_.CreateIntrinsic(shifts.intrinsic, {}, {previous[k], shifts.index[k], next}, nullptr,
                                                  inputs[k]->getName());
                    previous[k] = next;
                    return v;
                });
                Value* j_next = b_.CreateAdd(j, block, "j.next");
                llvm::BasicBlock* latch = b_.GetInsertBlock();
                j->addIncoming(j_next, latch);
                for (size_t k = 0; k < inputs.size(); ++k) carried[k]->addIncoming(previous[k], latch);
                b_.CreateCondBr(b_.CreateICmpSLT(j_next, fast_end), loop_block, after);
                latches.push_back(latch);
            } else {
                b_.CreateBr(fast);
            }
            b_.SetInsertPoint(plain_loop);
            llvm::PHINode* j = b_.CreatePHI(i64, 2, "j");
            j->addIncoming(head_end, choose);
            turns(j, [&](size_t k, int, Value* at) {
                return b_.CreateAlignedLoad(stored_, b_.CreateInBoundsGEP(element_, inputs[k], at), align(), inputs[k]->getName());
            });
            Value* j_next = b_.CreateAdd(j, block, "j.next");
            llvm::BasicBlock* latch_block = b_.GetInsertBlock();
            j->addIncoming(j_next, latch_block);
            b_.CreateCondBr(b_.CreateICmpSLT(j_next, fast_end), fast, after);
            latches.push_back(latch_block);
            b_.SetInsertPoint(after);
            llvm::PHINode* from = b_.CreatePHI(i64, 1 + static_cast<unsigned>(latches.size()), "unrolled.i");
            from->addIncoming(b_.getInt64(0), before);
            for (llvm::BasicBlock* latch : latches) from->addIncoming(fast_end, latch);
            start = from;
            auto* generic = llvm::BasicBlock::Create(context_, "generic", f);
            b_.CreateCondBr(b_.CreateICmpSLT(start, frame.n), generic, done_block(f));
            b_.SetInsertPoint(generic);
        }
        llvm::BasicBlock* entry = b_.GetInsertBlock();
        auto* header = llvm::BasicBlock::Create(context_, "loop", f);
        auto* whole = llvm::BasicBlock::Create(context_, "load", f);
        auto* part = llvm::BasicBlock::Create(context_, "load.masked", f);
        auto* body = llvm::BasicBlock::Create(context_, "body", f);
        auto* plain = llvm::BasicBlock::Create(context_, "store", f);
        auto* streamed = llvm::BasicBlock::Create(context_, "store.streaming", f);
        auto* masked = llvm::BasicBlock::Create(context_, "store.masked", f);
        auto* latch = llvm::BasicBlock::Create(context_, "next", f);
        auto* fence = llvm::BasicBlock::Create(context_, "fence", f);
        llvm::BasicBlock* done = done_block(f);
        b_.CreateCondBr(b_.CreateICmpSGT(frame.n, start), header, done);

        b_.SetInsertPoint(header);
        llvm::PHINode* i = b_.CreatePHI(i64, 2, "i");
        i->addIncoming(start, entry);
        // A whole turn's next i is i + W, off the partial turns' arithmetic: the loop
        // carries one add.
        Value* partial = b_.CreateOr(b_.CreateICmpSLT(i, head_end), b_.CreateICmpSGT(i, last_whole), "partial");
        b_.CreateCondBr(partial, part, whole);

        std::vector<Value*> full_values, part_values;
        b_.SetInsertPoint(whole);
        for (Value* in : inputs) {
            Value* at = b_.CreateInBoundsGEP(element_, in, i, in->getName() + ".at");
            full_values.push_back(b_.CreateAlignedLoad(stored_, at, align(), in->getName()));
            if (int distance = prefetch_distance(); distance > 0) {
                Value* ahead = b_.CreateGEP(b_.getInt8Ty(), at, b_.getInt64(static_cast<uint64_t>(distance)), "ahead");
                b_.CreateIntrinsic(llvm::Intrinsic::prefetch, {ahead->getType()},
                                   {ahead, b_.getInt32(0), b_.getInt32(3), b_.getInt32(1)});
            }
        }
        Value* next_whole = b_.CreateAdd(i, W, "i.next");
        b_.CreateBr(body);
        b_.SetInsertPoint(part);
        Value* count = b_.CreateBinaryIntrinsic(
            llvm::Intrinsic::smin, b_.CreateSelect(b_.CreateICmpSLT(i, head_end), head_end, frame.n), frame.n);
        count = b_.CreateBinaryIntrinsic(llvm::Intrinsic::smin, b_.CreateSub(count, i), W, nullptr, "count");
        Value* next_part = b_.CreateAdd(i, count, "i.next");
        Value* part_mask =
            b_.CreateICmpSLT(lane_numbers32(), b_.CreateVectorSplat(static_cast<unsigned>(lanes_), count32(count)), "mask");
        for (Value* in : inputs) {
            Value* at = b_.CreateInBoundsGEP(element_, in, i, in->getName() + ".at");
            part_values.push_back(b_.CreateMaskedLoad(stored_, at, align(), part_mask, llvm::Constant::getNullValue(stored_),
                                                      in->getName()));
        }
        b_.CreateBr(body);

        b_.SetInsertPoint(body);
        llvm::PHINode* mask = b_.CreatePHI(part_mask->getType(), 2, "mask");
        mask->addIncoming(llvm::Constant::getAllOnesValue(part_mask->getType()), whole);
        mask->addIncoming(part_mask, part);
        llvm::PHINode* next = b_.CreatePHI(i64, 2, "i.next");
        next->addIncoming(next_whole, whole);
        next->addIncoming(next_part, part);
        llvm::PHINode* was_partial = b_.CreatePHI(b_.getInt1Ty(), 2, "partial");
        was_partial->addIncoming(b_.getFalse(), whole);
        was_partial->addIncoming(b_.getTrue(), part);
        std::vector<Value*> values;
        for (size_t k = 0; k < inputs.size(); ++k) {
            llvm::PHINode* v = b_.CreatePHI(stored_, 2, inputs[k]->getName());
            v->addIncoming(full_values[k], whole);
            v->addIncoming(part_values[k], part);
            values.push_back(v);
        }
        for (size_t k = 0; k < inputs.size(); ++k)
            if (wide_) values[k] = b_.CreateFPExt(values[k], computed_, inputs[k]->getName() + ".f64");
        std::vector<Value*> results = step(i, mask, values);
        for (Value*& r : results) r = wide_ ? b_.CreateFPTrunc(r, stored_, "rounded") : r;
        // A whole turn streams when the call does; a partial one stores under its mask.
        auto* choose = llvm::BasicBlock::Create(context_, "store.choose", f, plain);
        b_.CreateCondBr(was_partial, masked, choose);
        b_.SetInsertPoint(choose);
        b_.CreateCondBr(stream, streamed, plain);

        auto store_all = [&](llvm::BasicBlock* block, auto each) {
            b_.SetInsertPoint(block);
            for (size_t o = 0; o < outputs.size(); ++o)
                each(results[o], b_.CreateInBoundsGEP(element_, outputs[o], i, outputs[o]->getName() + ".at"));
            b_.CreateBr(latch);
        };
        store_all(plain, [&](Value* v, Value* at) { b_.CreateAlignedStore(v, at, align()); });
        store_all(streamed, [&](Value* v, Value* at) {
            llvm::StoreInst* st = b_.CreateAlignedStore(v, at, llvm::Align(vector_bytes));
            st->setMetadata(llvm::LLVMContext::MD_nontemporal,
                            llvm::MDNode::get(context_, llvm::ConstantAsMetadata::get(b_.getInt32(1))));
        });
        store_all(masked, [&](Value* v, Value* at) { b_.CreateMaskedStore(v, at, align(), mask); });

        b_.SetInsertPoint(latch);
        i->addIncoming(next, latch);
        b_.CreateCondBr(b_.CreateICmpSLT(next, frame.n), header, fence);
        // Non-temporal stores are weakly ordered: fence them before the caller (or another
        // thread it signals) reads the outputs.
        b_.SetInsertPoint(fence);
        auto* fenced = llvm::BasicBlock::Create(context_, "sfence", f, done);
        b_.CreateCondBr(stream, fenced, done);
        b_.SetInsertPoint(fenced);
        b_.CreateIntrinsic(llvm::Intrinsic::x86_sse_sfence, {}, {});  // x86-64 only, as target.cpp
        b_.CreateBr(done);
        done->moveAfter(&f->back());
        b_.SetInsertPoint(done);
        done_ = nullptr;
    }

    // The unrolled loop's shifted loads (Emitter::loop): whether the target has the
    // two-table permute for these vectors (`permute`; AVX-512, and VL for 256 bits), and
    // for each input its lane offset from element `head_end` down to a vector boundary
    // (`by`), the permute's indices (lane + by) and whether any input needs it (`any`:
    // some offset not 0, every input aligned to its elements).
    struct Shifts {
        bool permute = false;
        llvm::Intrinsic::ID intrinsic{};
        Value* any = nullptr;
        std::vector<Value*> by, index;
    };
    Shifts shifts_for(const std::vector<Value*>& inputs, Value* head_end, uint64_t vector_bytes) {
        Shifts s;
        bool f32 = options_.f32;
        if (!shifted_loads() || !target_.avx512 || vector_bytes != 64 || wide_) return s;
        s.permute = true;
        s.intrinsic = f32 ? llvm::Intrinsic::x86_avx512_vpermi2var_ps_512 : llvm::Intrinsic::x86_avx512_vpermi2var_pd_512;
        llvm::Type* lane_int = f32 ? b_.getInt32Ty() : b_.getInt64Ty();
        uint64_t element_bytes = f32 ? 4 : 8;
        std::vector<llvm::Constant*> lanes;
        for (int k = 0; k < lanes_; ++k) lanes.push_back(llvm::ConstantInt::get(lane_int, static_cast<uint64_t>(k)));
        Value* lane_numbers = llvm::ConstantVector::get(lanes);
        Value* any = b_.getFalse();
        Value* whole = b_.getTrue();
        for (Value* in : inputs) {
            Value* address = b_.CreatePtrToInt(in, b_.getInt64Ty());
            Value* by = b_.CreateAnd(b_.CreateAdd(b_.CreateLShr(address, f32 ? 2 : 3), head_end),
                                     static_cast<uint64_t>(lanes_ - 1), in->getName() + ".shift");
            whole = b_.CreateAnd(whole, b_.CreateICmpEQ(b_.CreateAnd(address, element_bytes - 1), b_.getInt64(0)));
            any = b_.CreateOr(any, b_.CreateICmpNE(by, b_.getInt64(0)));
            s.by.push_back(by);
            s.index.push_back(b_.CreateAdd(lane_numbers, b_.CreateVectorSplat(static_cast<unsigned>(lanes_),
                                                                               b_.CreateIntCast(by, lane_int, false))));
        }
        s.any = b_.CreateAnd(any, whole);
        return s;
    }

    // The block after the loop, made once per loop (the unrolled loop may jump there).
    llvm::BasicBlock* done_ = nullptr;
    llvm::BasicBlock* done_block(llvm::Function* f) {
        if (!done_) done_ = llvm::BasicBlock::Create(context_, "done", f);
        return done_;
    }

    // Whole turns per iteration of the unrolled loop for a cheap body (1: no such
    // loop). $ACTJIT_UNROLL overrides the default, to measure it (docs/BENCHMARKS.md).
    int unroll_for(const std::vector<Expr>& roots) const {
        if (options_.quick) return 1;
        size_t nodes = 0;
        for (Expr n : topological_order(roots)) {
            ++nodes;
            switch (n->kind) {
            case Kind::Pow: case Kind::Exp: case Kind::Expm1: case Kind::Log: case Kind::Log1p: case Kind::Tanh:
            case Kind::Erf: case Kind::Erfc: case Kind::Sin: case Kind::Cos: case Kind::Uniform: case Kind::Sigmoid:
            case Kind::Softplus: case Kind::Atan: case Kind::Sinh: case Kind::Cosh: case Kind::Asinh:
                return 1;
            default: break;
            }
        }
        return nodes <= 48 ? unroll_depth() : 1;
    }

    Value* lane_numbers() {
        std::vector<llvm::Constant*> lanes;
        for (int k = 0; k < lanes_; ++k) lanes.push_back(b_.getInt64(static_cast<uint64_t>(k)));
        return llvm::ConstantVector::get(lanes);
    }
    // Lane numbers and a count below W in 32-bit lanes: one vector compare for a mask.
    Value* count32(Value* count) { return b_.CreateTrunc(count, b_.getInt32Ty()); }
    Value* lane_numbers32() {
        std::vector<llvm::Constant*> lanes;
        for (int k = 0; k < lanes_; ++k) lanes.push_back(b_.getInt32(static_cast<uint32_t>(k)));
        return llvm::ConstantVector::get(lanes);
    }

    llvm::Align align() const { return llvm::Align(options_.f32 ? 4 : 8); }

    // Where any input is NaN (LANGUAGE.md §3).
    Value* any_nan(const std::vector<Value*>& xs) {
        Value* any = nullptr;
        for (size_t k = 0; k < xs.size(); ++k) {
            Value* nan = b_.CreateFCmpUNO(xs[k], xs[k], signature_.inputs[k] + ".nan");
            any = any ? b_.CreateOr(any, nan, "nan") : nan;
        }
        return any;
    }

    Value* nan_where(Value* nan, Value* v) {
        return nan ? b_.CreateSelect(nan, llvm::ConstantFP::getNaN(computed_), v) : v;
    }
    // The same, but nothing where `root` is NaN wherever an input is (carries_nan).
    Value* nan_where(Value* nan, Value* v, Expr root) {
        uint64_t every = inputs() >= 64 ? ~0ull : (1ull << inputs()) - 1;
        return root && (carries_nan(root) & every) == every ? v : nan_where(nan, v);
    }

    // The inputs whose NaN reaches e through its arithmetic alone (bit i: input i): IEEE
    // operations and every vector-math function pass a NaN operand on (tested for each on
    // every path, jit_test.cpp); min and max take b for a NaN a, so only b's pass (a's,
    // against a constant b, in the form the emitter gives them); a
    // select passes what both branches pass; pow(NaN, 0) is 1, so pow passes none.
    uint64_t carries_nan(Expr e) {
        if (auto it = carries_.find(e); it != carries_.end()) return it->second;
        uint64_t m = 0;
        auto op = [&](int i) { return carries_nan((*e)[i]); };
        switch (e->kind) {
        case Kind::Input: m = e->index < 64 ? 1ull << e->index : 0; break;
        case Kind::Neg: case Kind::Abs: case Kind::Sign: case Kind::Exp: case Kind::Expm1: case Kind::Log:
        case Kind::Log1p: case Kind::Sqrt: case Kind::Tanh: case Kind::Erf: case Kind::Erfc: case Kind::Sin:
        case Kind::Cos: case Kind::Sigmoid: case Kind::Softplus: case Kind::Atan: case Kind::Sinh: case Kind::Cosh:
        case Kind::Asinh:
            m = op(0);
            break;
        case Kind::Add: case Kind::Sub: case Kind::Mul: case Kind::Div: case Kind::DecayMul: m = op(0) | op(1); break;
        case Kind::Min: case Kind::Max: m = number_constant((*e)[1]) ? op(0) : op(1); break;
        case Kind::Select: m = op(1) & op(2); break;
        default: break;  // constants, parameters, draws, pow, comparisons
        }
        carries_.emplace(e, m);
        return m;
    }

    Value* indices(Frame& frame, Value* i) {
        Value* base = b_.CreateAdd(frame.first, i, "index");
        return b_.CreateAdd(b_.CreateVectorSplat(static_cast<unsigned>(lanes_), base), lane_numbers(), "indices");
    }

    llvm::Function* emit_forward(const std::string& name) {
        size_t k = inputs();
        llvm::Function* f = declare(name);
        std::vector<std::string> names(signature_.inputs.begin(), signature_.inputs.end());
        names.push_back("y");
        Frame frame = begin(f, names);
        std::vector<Value*> in(frame.arrays.begin(), frame.arrays.begin() + static_cast<std::ptrdiff_t>(k));
        loop(frame, in, {frame.arrays[k]}, unroll_for({gradient_.value}), [&](Value* i, Value*, const std::vector<Value*>& xs) {
            std::vector<Value*> out = graph({gradient_.value}, xs, frame, indices(frame, i));
            return std::vector<Value*>{nan_where(any_nan(xs), out[0], gradient_.value)};
        });
        b_.CreateRetVoid();
        return f;
    }

    llvm::Function* emit_backward(const std::string& name) {
        size_t k = inputs();
        llvm::Function* f = declare(name);
        // x1..xk, dy, dx1..dxk, dparams
        std::vector<std::string> names(signature_.inputs.begin(), signature_.inputs.end());
        names.push_back("dy");
        for (const std::string& x : signature_.inputs) names.push_back("d" + x);
        names.push_back("dparams");
        Frame frame = begin(f, names);
        Value* dparams = frame.arrays[2 * k + 1];
        // One f64 accumulator per learn parameter (sum_parts_ vectors), reduced in a fixed
        // order at the end.
        std::vector<llvm::AllocaInst*> sums;
        std::vector<size_t> learn;  // their indices in the parameter list
        for (size_t p = 0; p < params(); ++p)
            if (signature_.parameters[p].learn) learn.push_back(p);
        llvm::Type* parts = llvm::ArrayType::get(sums_, static_cast<uint64_t>(sum_parts_));
        for (size_t q = 0; q < learn.size(); ++q) {
            // -0 is the neutral element of IEEE addition: an element's -0 stays -0.
            llvm::AllocaInst* a = b_.CreateAlloca(parts, nullptr, "sum.d" + signature_.parameters[learn[q]].name);
            for (int part = 0; part < sum_parts_; ++part)
                b_.CreateStore(llvm::ConstantFP::get(sums_, -0.0), sum_part(parts, a, b_.getInt64(static_cast<uint64_t>(part))));
            sums.push_back(a);
        }
        std::vector<Expr> roots;
        for (const Derivative& d : gradient_.derivatives) roots.push_back(d.expr);
        std::vector<Value*> in, out;
        for (size_t j = 0; j <= k; ++j) in.push_back(frame.arrays[j]);  // x1..xk, dy
        for (size_t j = 0; j < k; ++j) out.push_back(frame.arrays[k + 1 + j]);
        std::vector<Expr> present;
        for (Expr r : roots)
            if (r) present.push_back(r);
        loop(frame, in, out, unroll_for(present), [&](Value* i, Value* mask, const std::vector<Value*>& loaded) {
            std::vector<Value*> xs(loaded.begin(), loaded.begin() + static_cast<std::ptrdiff_t>(k));
            Value* dy = loaded[k];
            std::vector<Value*> d = graph(roots, xs, frame, indices(frame, i));
            Value* nan = any_nan(xs);
            std::vector<Value*> dxs;
            for (size_t j = 0; j < k; ++j) {
                const std::string& x = signature_.inputs[j];
                Value* dx = d[j] ? b_.CreateFMul(dy, d[j], "d" + x) : llvm::Constant::getNullValue(computed_);
                dxs.push_back(nan_where(nan, dx, d[j] ? roots[j] : nullptr));
            }
            // Lanes beyond n accumulate -0, whatever their (zero) inputs give.
            for (size_t q = 0; q < learn.size(); ++q) {
                Value* partial = d[k + q];
                if (!partial) continue;
                const std::string& p = signature_.parameters[learn[q]].name;
                Value* term = nan_where(nan, b_.CreateFMul(dy, partial, "dy.d" + p), roots[k + q]);
                term = b_.CreateSelect(mask, term, splat(-0.0));
                if (term->getType() != sums_) term = b_.CreateFPExt(term, sums_);  // float lanes sum in double
                // This turn's part: (i / W) % sum_parts_ (turns start at multiples of W
                // when there are several parts: a quick kernel has no aligning head).
                Value* part = sum_parts_ == 1 ? b_.getInt64(0)
                                              : b_.CreateURem(b_.CreateUDiv(i, b_.getInt64(static_cast<uint64_t>(lanes_))),
                                                              b_.getInt64(static_cast<uint64_t>(sum_parts_)), "part");
                Value* at = sum_part(parts, sums[q], part);
                Value* sum = b_.CreateLoad(sums_, at);
                b_.CreateStore(b_.CreateFAdd(sum, term, "sum.d" + p), at);
            }
            return dxs;
        });
        // dparams[q] += the lanes' sums, lane 0 first: the same order whatever n is.
        for (size_t q = 0; q < learn.size(); ++q) {
            const std::string& p = signature_.parameters[learn[q]].name;
            Value* total = nullptr;
            for (int part = 0; part < sum_parts_; ++part) {
                Value* sum = b_.CreateLoad(sums_, sum_part(parts, sums[q], b_.getInt64(static_cast<uint64_t>(part))));
                for (int lane = 0; lane < lanes_; ++lane) {
                    Value* v = b_.CreateExtractElement(sum, static_cast<uint64_t>(lane));
                    total = total ? b_.CreateFAdd(total, v, "total.d" + p) : v;
                }
            }
            Value* at = b_.CreateConstInBoundsGEP1_64(element_, dparams, q, "d" + p + ".at");
            Value* old = b_.CreateAlignedLoad(element_, at, align());
            if (options_.f32) old = b_.CreateFPExt(old, b_.getDoubleTy());
            Value* now = b_.CreateFAdd(old, total, "d" + p);
            if (options_.f32) now = b_.CreateFPTrunc(now, element_);
            b_.CreateAlignedStore(now, at, align());
        }
        b_.CreateRetVoid();
        return f;
    }

    Value* sum_part(llvm::Type* parts, llvm::AllocaInst* sum, Value* part) {
        return b_.CreateInBoundsGEP(parts, sum, {b_.getInt64(0), part});
    }

    // ---- the graph ------------------------------------------------------------------

    // Constants keep their double value in f32 kernels computing in double lanes (docs/
    // numerics.md, "Precision of f32 kernels"); in float lanes they are rounded to float
    // (LANGUAGE.md §3).
    Value* splat(double v) { return llvm::ConstantFP::get(computed_, v); }

    // a + b or a - b; in float lanes on an FMA target, with a product term fused into
    // one rounding (the fast precision's contraction, docs/numerics.md): fewer
    // instructions, and one rounding fewer where a sum cancels.
    Value* sum(Expr n, Value* a, Value* b, const std::unordered_map<Expr, Value*>& value, VecMath& math,
               const std::string& name) {
        const bool add = n->kind == Kind::Add;
        if (math.float_lanes() && target_.fma) {
            // a product's factors: a Mul's operands, or a decay_mul's where it is emitted as
            // a plain product (products_)
            auto factors = [&](Expr e) -> std::optional<std::pair<Value*, Value*>> {
                if (e->kind == Kind::Mul) return std::pair{value.at((*e)[0]), value.at((*e)[1])};
                if (auto it = products_.find(e); it != products_.end()) return it->second;
                return std::nullopt;
            };
            auto fused = [&](std::pair<Value*, Value*> xy, Value* other, bool negate_product) -> Value* {
                Value* x = negate_product ? b_.CreateFNeg(xy.first) : xy.first;
                return b_.CreateIntrinsic(llvm::Intrinsic::fma, {computed_}, {x, xy.second, other}, nullptr, name);
            };
            if (auto xy = factors((*n)[1])) return fused(*xy, a, !add);                  // a ± x y
            if (auto xy = factors((*n)[0])) return fused(*xy, add ? b : b_.CreateFNeg(b), false);  // x y ± b
        }
        return add ? b_.CreateFAdd(a, b, name) : b_.CreateFSub(a, b, name);
    }

    // Finite (or NaN) at every input, ±inf included, whatever the parameters: the
    // bounded functions (at most 2 in magnitude), constants of at most 2^126 (finite in
    // float too), and negations and products of a bounded function with a bounded
    // function or such a constant (so at most 2^127: no product overflows).
    static bool never_infinite(Expr e) {
        auto bounded = [](Expr b) {
            switch (b->kind) {
            case Kind::Sigmoid: case Kind::Tanh: case Kind::Erf: case Kind::Erfc: case Kind::Sin: case Kind::Cos:
            case Kind::Atan:
                return true;
            default: return false;
            }
        };
        if (bounded(e)) return true;
        if (e->kind == Kind::Constant) return never_infinite_constant(e);
        if (e->kind == Kind::Neg) return never_infinite((*e)[0]);
        if (e->kind == Kind::Mul) {
            Expr a = (*e)[0], b = (*e)[1];
            return (bounded(a) || never_infinite_constant(a)) && (bounded(b) || never_infinite_constant(b)) &&
                   !(never_infinite_constant(a) && never_infinite_constant(b));
        }
        return false;
    }
    static bool number_constant(Expr e) { return e->kind == Kind::Constant && !std::isnan(e->value); }
    static bool never_infinite_constant(Expr e) { return e->kind == Kind::Constant && std::fabs(e->value) <= 0x1p126; }

    // e as factor * base, exactly in floating point (rounding is symmetric): -z is -1
    // times z's form, c * y (a nonzero constant c) is c times y, anything else 1 times
    // itself. Two sigmoids' arguments are each other's negation when their bases agree
    // and their factors are opposite.
    static std::pair<Expr, double> signed_form(Expr e) {
        if (e->kind == Kind::Neg) {
            auto [base, factor] = signed_form((*e)[0]);
            return {base, -factor};
        }
        // (decay_mul by a finite nonzero constant is the plain product)
        if (e->kind == Kind::Mul || e->kind == Kind::DecayMul)
            for (int i = 0; i < 2; ++i)
                if (Expr c = (*e)[i]; c->kind == Kind::Constant && c->value != 0 && std::isfinite(c->value))
                    return {(*e)[1 - i], c->value};
        return {e, 1.0};
    }

    // The decay_muls of the step being emitted that are plain products, by their factors
    // (sum() fuses them into an add as it does a Mul).
    std::unordered_map<Expr, std::pair<Value*, Value*>> products_;

    // ±0 with the sign of a * f: the xor of their sign bits (one vpternlogd, no multiply).
    Value* zero_signed_as_product(Value* a, Value* f) {
        auto* type = llvm::cast<llvm::VectorType>(a->getType());
        llvm::Type* integers = llvm::VectorType::getInteger(type);
        unsigned width = type->getScalarSizeInBits();
        Value* signs = b_.CreateXor(b_.CreateBitCast(a, integers), b_.CreateBitCast(f, integers));
        return b_.CreateBitCast(b_.CreateAnd(signs, llvm::ConstantInt::get(integers, llvm::APInt::getSignMask(width))), type);
    }

    // u as ±x / sqrt(2) (or ±x times 1 / sqrt(2)): x, and whether it is negated.
    static std::optional<std::pair<Expr, bool>> over_root_two(Expr u) {
        bool negated = false;
        for (; u->kind == Kind::Neg; u = (*u)[0]) negated = !negated;
        auto near = [](double v, double want) { return std::fabs(std::fabs(v) - want) <= 4 * DBL_EPSILON * want; };
        if (u->kind == Kind::Div && (*u)[1]->kind == Kind::Constant && near((*u)[1]->value, M_SQRT2))
            return std::pair{(*u)[0], negated != ((*u)[1]->value < 0)};
        if (u->kind == Kind::Mul || u->kind == Kind::DecayMul)
            for (int i = 0; i < 2; ++i)
                if (Expr c = (*u)[i]; c->kind == Kind::Constant && near(c->value, M_SQRT1_2))
                    return std::pair{(*u)[1 - i], negated != (c->value < 0)};
        return std::nullopt;
    }

    // decay_mul(a, f) as a plain product of a clamped to the finite range: where a is an
    // input x, -x or c x (|c| <= 1: infinite exactly where x is) and f, a function of x
    // alone, is exactly 0 (in the double interpreter) wherever a is infinite. The sides
    // to clamp, {-inf, +inf}; null where the guard is needed (a of another form, or f of
    // more than x).
    // (Memoized per node: the loop emits its body more than once.)
    std::unordered_map<Expr, std::optional<std::pair<bool, bool>>> decay_clamps_;
    std::optional<std::pair<bool, bool>> decay_clamp(Expr n) {
        auto [it, first] = decay_clamps_.try_emplace(n);
        if (first) it->second = find_decay_clamp((*n)[0], (*n)[1]);
        return it->second;
    }
    static std::optional<std::pair<bool, bool>> find_decay_clamp(Expr a, Expr f) {
        Expr x = a;
        if (x->kind == Kind::Neg) x = (*x)[0];
        else if (x->kind == Kind::Mul && (*x)[0]->kind == Kind::Constant && std::fabs((*x)[0]->value) <= 1 &&
                 (*x)[0]->value != 0)
            x = (*x)[1];
        if (x->kind != Kind::Input) return std::nullopt;
        for (Expr leaf : topological_order({f}))
            if ((leaf->arity() == 0 && leaf->kind != Kind::Constant && leaf != x) || leaf->kind == Kind::Uniform)
                return std::nullopt;
        std::pair<bool, bool> sides{false, false};
        for (double at : {-INFINITY, INFINITY}) {
            std::vector<double> inputs(static_cast<size_t>(x->index) + 1, 0.0);
            inputs.back() = at;
            Environment env{inputs, {}, 0, 0, false};
            double av = interpret(a, env), fv = interpret(f, env);
            // (an f that is not 0 there needs no guard: inf * f is the product, NaN for a NaN f)
            if (std::isinf(av) && fv == 0) (av < 0 ? sides.first : sides.second) = true;
        }
        return sides;
    }

    // a as -(x / sqrt(2))^2, the negation outside or on a factor: x, else null.
    static Expr minus_half_square(Expr a) {
        bool negated = false;
        for (; a->kind == Kind::Neg; a = (*a)[0]) negated = !negated;
        if (a->kind != Kind::Mul) return nullptr;
        auto p = over_root_two((*a)[0]), q = over_root_two((*a)[1]);
        if (!p || !q || p->first != q->first || negated == (p->second != q->second)) return nullptr;
        return p->first;
    }

    // The roots' values for one step (null roots stay null).
    std::vector<Value*> graph(const std::vector<Expr>& roots, const std::vector<Value*>& xs, Frame& frame,
                              Value* index) {
        std::vector<Expr> present;
        for (Expr r : roots)
            if (r) present.push_back(r);
        VecMath math(b_, target_, lanes_, computed_->getElementType());
        std::unordered_map<Expr, Value*> value;
        products_.clear();
        std::vector<Expr> order = topological_order(present);
        // sigmoid(a) beside sigmoid(-a) (every derivative of a sigmoid has s(a) s(-a)):
        // the first one met computes both (VecMath::sigmoid_pair), the others take them.
        std::map<std::pair<Expr, double>, std::array<int, 2>> signs;  // by signed_form: how many of each sign
        for (Expr n : order)
            if (n->kind == Kind::Sigmoid) {
                auto [base, factor] = signed_form((*n)[0]);
                ++signs[{base, std::fabs(factor)}][factor < 0];
            }
        struct Pair {
            std::array<Value*, 2> by_sign;  // sigmoid(base * factor) for factor > 0, < 0
            Value* product;                 // their product (float lanes), else null
        };
        std::map<std::pair<Expr, double>, Pair> pairs;
        // sigmoid(a) * sigmoid(-a) (a sigmoid's slope) as the pair's product, where it has
        // one (float lanes): the two sides without selecting either, bit for bit the same
        auto pair_product = [&](Expr n) -> Value* {
            Expr p = (*n)[0], q = (*n)[1];
            if (p->kind != Kind::Sigmoid || q->kind != Kind::Sigmoid) return nullptr;
            auto [base_p, factor_p] = signed_form((*p)[0]);
            auto [base_q, factor_q] = signed_form((*q)[0]);
            if (base_p != base_q || factor_p != -factor_q) return nullptr;
            auto it = pairs.find({base_p, std::fabs(factor_p)});
            return it == pairs.end() ? nullptr : it->second.product;
        };
        // In float lanes, the functions of softplus(y) that are rational in e^-|y| (mish
        // and its slope: tanh(softplus(y)), sigmoid(±2 softplus(y))), with sigmoid(±y),
        // from one exponential (VecMath::softplus_forms), made at the first one met.
        std::unordered_map<Expr, Expr> softplus_of;  // y -> softplus(y)
        if (math.float_lanes())
            for (Expr n : order)
                if (n->kind == Kind::Softplus) softplus_of.emplace((*n)[0], n);
        std::unordered_map<Expr, VecMath::SoftplusForms> forms;
        auto forms_of = [&](Expr softplus) -> const VecMath::SoftplusForms& {
            auto [it, first] = forms.try_emplace(softplus);
            if (first) it->second = math.softplus_forms(value.at((*softplus)[0]));
            return it->second;
        };
        for (Expr n : order) {
            auto op = [&](int i) { return value.at((*n)[i]); };
            std::string name(info(n->kind).name);
            for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            Value* v = nullptr;
            switch (n->kind) {
            case Kind::Constant: v = splat(n->value); break;
            case Kind::Input: v = xs.at(n->index); break;
            case Kind::Param: v = frame.param_values.at(n->index); break;
            case Kind::Neg: v = b_.CreateFNeg(op(0), name); break;
            case Kind::Add:
            case Kind::Sub: v = sum(n, op(0), op(1), value, math, name); break;
            case Kind::Mul:
                if (Value* p = pair_product(n)) v = p;
                else v = b_.CreateFMul(op(0), op(1), name);
                break;
            case Kind::Div: v = b_.CreateFDiv(op(0), op(1), name); break;
            case Kind::Pow: v = math.pow(op(0), op(1)); break;
            case Kind::Abs: v = math.abs(op(0)); break;
            // sign keeps ±0 and NaN
            case Kind::Sign:
                v = b_.CreateSelect(b_.CreateFCmpOGT(op(0), splat(0)), splat(1),
                                    b_.CreateSelect(b_.CreateFCmpOLT(op(0), splat(0)), splat(-1), op(0)), name);
                break;
            case Kind::Exp: {
                // exp(-(x / sqrt(2))^2) in float lanes: -x^2 / 2 exactly
                if (Expr x = math.float_lanes() ? minus_half_square((*n)[0]) : nullptr) {
                    v = math.exp_minus_half_square(value.at(x));
                    break;
                }
                v = math.exp(op(0));
                break;
            }
            case Kind::Expm1: v = math.expm1(op(0)); break;
            case Kind::Log: v = math.log(op(0)); break;
            case Kind::Log1p: v = math.log1p(op(0)); break;
            case Kind::Sqrt: v = math.sqrt(op(0)); break;
            case Kind::Tanh:
                v = math.float_lanes() && (*n)[0]->kind == Kind::Softplus ? forms_of((*n)[0]).tanh : math.tanh(op(0));
                break;
            case Kind::Erf: v = math.erf(op(0)); break;
            case Kind::Erfc:
                // erfc(±x / sqrt(2)) in float lanes (gelu): its -x^2 / 2 exactly
                if (auto u = math.float_lanes() ? over_root_two((*n)[0]) : std::nullopt) {
                    v = math.erfc_half_scaled(value.at(u->first), u->second);
                    break;
                }
                v = math.erfc(op(0));
                break;
            case Kind::Sin: v = math.sin(op(0)); break;
            case Kind::Cos: v = math.cos(op(0)); break;
            case Kind::Atan: v = math.atan(op(0)); break;
            case Kind::Sinh: v = math.sinh(op(0)); break;
            case Kind::Cosh: v = math.cosh(op(0)); break;
            case Kind::Asinh: v = math.asinh(op(0)); break;
            // min(a, b) = a < b ? a : b; max(a, b) = a > b ? a : b (ties and NaN take b)
            // Against a constant b (never NaN) the same as a >= b ? b : a and a <= b ? b : a,
            // which carry a's NaN (so need no NaN-policy select: carries_nan)
            case Kind::Min:
                v = number_constant((*n)[1])
                        ? b_.CreateSelect(b_.CreateFCmpOGE(op(0), op(1)), op(1), op(0), name)
                        : b_.CreateSelect(b_.CreateFCmpOLT(op(0), op(1)), op(0), op(1), name);
                break;
            case Kind::Max:
                v = number_constant((*n)[1])
                        ? b_.CreateSelect(b_.CreateFCmpOLE(op(0), op(1)), op(1), op(0), name)
                        : b_.CreateSelect(b_.CreateFCmpOGT(op(0), op(1)), op(0), op(1), name);
                break;
            case Kind::Uniform:
                v = options_.inference ? b_.CreateFMul(b_.CreateFAdd(op(0), op(1)), splat(0.5), name)
                                       : math.uniform(op(0), op(1), frame.seed, index);
                break;
            case Kind::Sigmoid: {
                auto [base, factor] = signed_form((*n)[0]);
                if (math.float_lanes() && base->kind == Kind::Softplus && std::fabs(factor) == 2) {
                    v = factor > 0 ? forms_of(base).sigmoid_2 : forms_of(base).sigmoid_minus_2;
                    break;
                }
                if (auto s = softplus_of.find(base); s != softplus_of.end() && std::fabs(factor) == 1) {
                    v = factor > 0 ? forms_of(s->second).sigmoid : forms_of(s->second).sigmoid_minus;
                    break;
                }
                std::pair<Expr, double> key{base, std::fabs(factor)};
                const bool negative = factor < 0;
                const auto& count = signs.at(key);
                if (count[0] == 0 || count[1] == 0) {
                    v = math.sigmoid(op(0));
                    break;
                }
                auto [it, first] = pairs.try_emplace(key);
                if (first) {
                    VecMath::SigmoidPair made = math.sigmoid_pair(op(0));
                    it->second.by_sign[negative] = made.s;
                    it->second.by_sign[!negative] = made.s_negated;
                    it->second.product = made.product;
                }
                v = it->second.by_sign[negative];
                break;
            }
            case Kind::Softplus: v = math.softplus(op(0)); break;
            // decay_mul(a, f) = a * f, but a zero factor gives a zero (of the product's sign)
            // even for an infinite other; two that are never infinite need only the product
            case Kind::DecayMul: {
                if (Value* p = pair_product(n)) {
                    v = p;
                    break;
                }
                // (of two inputs' factors a zero a beats an infinite f too: then the product
                // alone needs both finite)
                const bool two_sided = independent_operands(n) && !never_infinite((*n)[1]);
                if (never_infinite((*n)[0]) && !two_sided) {
                    v = b_.CreateFMul(op(0), op(1), name);
                    products_[n] = {op(0), op(1)};
                    break;
                }
                // a infinite only where its input is, and f exactly 0 there: a clamped to
                // the finite range on that side is the same product (±max * 0 = ±0)
                if (auto sides = decay_clamp(n)) {
                    Value* a = op(0);
                    llvm::Type* lane = computed_->getElementType();
                    double top = lane->isFloatTy() ? FLT_MAX : DBL_MAX;
                    if (sides->first) a = b_.CreateSelect(b_.CreateFCmpOLT(a, splat(-top)), splat(-top), a);
                    if (sides->second) a = b_.CreateSelect(b_.CreateFCmpOGT(a, splat(top)), splat(top), a);
                    v = b_.CreateFMul(a, op(1), name);
                    products_[n] = {a, op(1)};
                    break;
                }
                Value* product = b_.CreateFMul(op(0), op(1));
                Value* zero_f;
                if (!two_sided) {
                    zero_f = b_.CreateAnd(b_.CreateFCmpOEQ(op(1), splat(0)), b_.CreateFCmpORD(op(0), op(0)));
                } else {
                    // a zero a beats an infinite f too: the product is NaN of two numbers
                    // exactly where one is 0 and the other infinite (three compares where
                    // testing each side would take four and an or)
                    zero_f = b_.CreateAnd(b_.CreateFCmpUNO(product, product),
                                          b_.CreateAnd(b_.CreateFCmpORD(op(0), op(0)), b_.CreateFCmpORD(op(1), op(1))));
                }
                // An f that is never -0 leaves the zero a's sign
                Value* signed_zero = never_minus_zero((*n)[1]) ? math.copysign(splat(0), op(0)) : zero_signed_as_product(op(0), op(1));
                v = b_.CreateSelect(zero_f, signed_zero, product, name);
                break;
            }
            case Kind::Lt: v = b_.CreateFCmpOLT(op(0), op(1), name); break;
            case Kind::Le: v = b_.CreateFCmpOLE(op(0), op(1), name); break;
            case Kind::Gt: v = b_.CreateFCmpOGT(op(0), op(1), name); break;
            case Kind::Ge: v = b_.CreateFCmpOGE(op(0), op(1), name); break;
            case Kind::Eq: v = b_.CreateFCmpOEQ(op(0), op(1), name); break;
            case Kind::Ne: v = b_.CreateFCmpUNE(op(0), op(1), name); break;
            case Kind::And: v = b_.CreateAnd(op(0), op(1), name); break;
            case Kind::Or: v = b_.CreateOr(op(0), op(1), name); break;
            case Kind::Not: v = b_.CreateNot(op(0), name); break;
            case Kind::Select: v = b_.CreateSelect(op(0), op(1), op(2), name); break;
            }
            ACT_ASSERT(v != nullptr, "no code for {}", info(n->kind).name);
            value.emplace(n, v);
        }
        std::vector<Value*> out;
        for (Expr r : roots) out.push_back(r ? value.at(r) : nullptr);
        return out;
    }
};

}  // namespace

std::unique_ptr<llvm::Module> codegen(llvm::LLVMContext& context, const Gradient& gradient,
                                      const FunctionInfo& signature, const KernelOptions& options,
                                      const Target& target, std::string_view base, Part part) {
    auto module = std::make_unique<llvm::Module>(std::string(base), context);
    Emitter(context, *module, gradient, signature, options, target).emit(kernel_symbols(base), part);
    std::string problems;
    llvm::raw_string_ostream out(problems);
    if (llvm::verifyModule(*module, &out)) throw JitError("internal error: the generated module is invalid: " + problems);
    return module;
}

}  // namespace actjit::jit

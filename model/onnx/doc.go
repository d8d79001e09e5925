// Package onnx writes the numsense int8 network (conv1 to relu5) as an ONNX model,
// so that other runtimes can run exactly the same integers, and ONNX Runtime can
// serve as an independent check and speed reference for the engine (docs/onnx.md,
// ort-compare.sh, ort-ratio.sh).
//
// # Graph
//
// The model is a ModelProto of IR version 7 with the default operator set 13:
//
//	input  uint8 [1,1,227,227]          grey pixel p (the engine's int8 code p-128, zero point -128,
//	                                    scale 1: the same real values with zero point 0)
//	relu1  QLinearConv conv1            uint8 x with zero point InZP+128, int8 weights [M, C/group, k, k]
//	norm1  DequantizeLinear, LRN,       with per-channel scales and zero points 0, int32 bias in units of
//	       QuantizeLinear               x_scale*w_scale[c]; y uint8 with OutScale and OutZP+128 = 0
//	pool1  MaxPool 3x3/2 on uint8       (the ReLU is the saturation at 0, the bottom of uint8)
//	relu2, norm2, pool2, relu3, relu4, relu5   likewise (conv2, conv4, conv5 with group 2)
//
// Every uint8 activation is the engine's int8 code plus 128, so outputs compare
// value by value. ONNX has no quantised LRN, hence DequantizeLinear -> LRN (size 5,
// alpha 1e-4, beta 0.75, bias 1) -> QuantizeLinear; the engine uses an integer
// table for the same function. Conv1's bias holds the folded ImageNet mean.
// uint8 activations with int8 weights are what ONNX Runtime's fast x86 path
// (VNNI) takes; int8 activations there are about 25 times slower
// (docs/int8.md §5).
//
// Opts.Outputs picks the outputs (default relu5; AllOutputs for every stage), and
// Opts.Input lets a graph start at an intermediate stage, to run one layer alone
// on the engine's own input to it.
//
// # Protobuf
//
// The encoder is this package's own (no dependency): varints, length-delimited
// fields and fixed32 floats are all ONNX needs. Field numbers are those of
// onnx.proto3 (ModelProto: ir_version 1, producer_name 2, producer_version 3,
// doc_string 6, graph 7, opset_import 8; GraphProto: node 1, name 2,
// initializer 5, doc_string 10, input 11, output 12; NodeProto: input 1, output 2,
// name 3, op_type 4, attribute 5; AttributeProto: name 1, f 2, i 3, ints 8, type
// 20; TensorProto: dims 1, data_type 2, name 8, raw_data 9; ValueInfoProto: name 1,
// type 2; TypeProto.tensor_type 1 with elem_type 1 and shape 2; dim 1 with
// dim_value 1). Tensor data is little-endian raw_data; repeated integers are
// packed. Decode reads the same subset back, for tests and inspection.
//
// # Rounding
//
// The engine requantises with gemmlowp fixed point (round half away from zero);
// ONNX Runtime computes float32(acc) * float32(x_scale*w_scale/y_scale) and
// rounds half to even. They differ by one step where acc*M lies within about
// 1e-3 of k+1/2: 0.003 % to 0.06 % of conv outputs (docs/onnx.md).
package onnx

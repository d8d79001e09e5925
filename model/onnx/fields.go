package onnx

// Field numbers of the ONNX messages this package writes and reads (onnx.proto3;
// only the fields used here).
const (
	// ModelProto
	fModelIRVersion       = 1
	fModelProducerName    = 2
	fModelProducerVersion = 3
	fModelDocString       = 6
	fModelGraph           = 7
	fModelOpsetImport     = 8

	// OperatorSetIdProto
	fOpsetDomain  = 1
	fOpsetVersion = 2

	// GraphProto
	fGraphNode        = 1
	fGraphName        = 2
	fGraphInitializer = 5
	fGraphDocString   = 10
	fGraphInput       = 11
	fGraphOutput      = 12

	// NodeProto
	fNodeInput     = 1
	fNodeOutput    = 2
	fNodeName      = 3
	fNodeOpType    = 4
	fNodeAttribute = 5
	fNodeDomain    = 7

	// AttributeProto
	fAttrName   = 1
	fAttrF      = 2
	fAttrI      = 3
	fAttrS      = 4
	fAttrFloats = 7
	fAttrInts   = 8
	fAttrType   = 20

	// TensorProto
	fTensorDims     = 1
	fTensorDataType = 2
	fTensorName     = 8
	fTensorRawData  = 9

	// ValueInfoProto, TypeProto, TypeProto.Tensor, TensorShapeProto(.Dimension)
	fValueName       = 1
	fValueType       = 2
	fTypeTensor      = 1
	fTensorElemType  = 1
	fTensorTypeShape = 2
	fShapeDim        = 1
	fDimValue        = 1
)

// AttributeProto.AttributeType values used here.
const (
	AttrFloat  = 1
	AttrInt    = 2
	AttrString = 3
	AttrFloats = 6
	AttrInts   = 7
)

// TensorProto.DataType values used here.
const (
	Float32 = 1
	Uint8   = 2
	Int8    = 3
	Int32   = 6
)

// elemSize is the byte size of one element of the data types used here.
func elemSize(dt int) int {
	switch dt {
	case Uint8, Int8:
		return 1
	case Float32, Int32:
		return 4
	}
	return 0
}

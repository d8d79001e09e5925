// Package estimate is numsense's Go API: it turns a picture of objects on a table into
// an approximate number with its uncertainty, the way the exhibit does.
//
// The pipeline is the product's: the camera front end (camera/frontend) makes the
// 227x227 binary silhouette, the int8 network (model) computes relu5, the responses
// of the number-selective units (model/unitmap) go to the decoder (model/decoder),
// which returns the estimate and its 68 % interval. The number comes from the
// number-selective units only; the front end never counts objects. A population
// model (numsense calibrate --networks K) has several networks, and may average
// their units' responses over exact views of the silhouette (model/population);
// its decoder reads the units of all networks.
//
// An Estimator is safe for concurrent use: each call borrows one of a bounded set of
// pipelines (front end + engine + buffers). A Tracker follows a video stream: it fuses
// the responses of successive frames while the scene is stable and holds the shown
// value with hysteresis, so that a display does not flicker.
//
// This package is where model meets camera: it imports camera and camera/frontend;
// camera never imports model.
package estimate

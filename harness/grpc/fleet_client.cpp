#include "fleet_client.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <google/protobuf/util/json_util.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <array>
#include <ctime>
#include <stdexcept>

#include "flower_api/fleet.pb.h"
#include "flower_api/fleet_messages.h"

namespace superlink_grpc {
namespace {

constexpr std::array<const char*, 17> kStatusNames{
    "OK",        "CANCELLED",      "UNKNOWN",           "INVALID_ARGUMENT",   "DEADLINE_EXCEEDED",
    "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
    "ABORTED",   "OUT_OF_RANGE",   "UNIMPLEMENTED",     "INTERNAL",           "UNAVAILABLE",
    "DATA_LOSS", "UNAUTHENTICATED"};

// Python's datetime.now(timezone.utc).isoformat(): what a SuperNode signs.
std::string iso_now() {
  timespec now{};
  clock_gettime(CLOCK_REALTIME, &now);
  std::tm tm{};
  gmtime_r(&now.tv_sec, &tm);
  std::array<char, 64> text{};
  std::snprintf(text.data(), text.size(), "%04d-%02d-%02dT%02d:%02d:%02d.%06ld+00:00",
                tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                now.tv_nsec / 1000);
  return text.data();
}

}  // namespace

struct NodeKey::Key {
  EVP_PKEY* pkey = nullptr;
  ~Key() { EVP_PKEY_free(pkey); }
};

NodeKey::NodeKey() : key_(std::make_unique<Key>()) {
  key_->pkey = EVP_EC_gen("secp384r1");
  if (key_->pkey == nullptr) throw std::runtime_error("cannot make an EC key pair");
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(bio, key_->pkey);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  public_key_pem_.assign(data, static_cast<std::size_t>(size));
  BIO_free(bio);
}

NodeKey::~NodeKey() = default;

std::string NodeKey::public_key_base64() const {
  return base64(public_key_pem_);
}

std::string base64(std::string_view bytes) {
  std::string encoded(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int size = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.data()),
                                   reinterpret_cast<const unsigned char*>(bytes.data()),
                                   static_cast<int>(bytes.size()));
  encoded.resize(static_cast<std::size_t>(size));
  return encoded;
}

std::vector<std::pair<std::string, std::string>> auth_metadata(const NodeKey& key) {
  const std::string timestamp = iso_now();
  return {{"flwr-public-key-bin", key.public_key_pem()},
          {"flwr-timestamp", timestamp},
          {"flwr-signature-bin", key.sign(timestamp)}};
}

std::string NodeKey::sign(std::string_view message) const {
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  std::size_t size = 0;
  std::string signature;
  if (EVP_DigestSignInit(context, nullptr, EVP_sha256(), nullptr, key_->pkey) == 1 &&
      EVP_DigestSign(context, nullptr, &size,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1) {
    signature.resize(size);
    if (EVP_DigestSign(context, reinterpret_cast<unsigned char*>(signature.data()), &size,
                       reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()) == 1) {
      signature.resize(size);
    } else {
      signature.clear();
    }
  }
  EVP_MD_CTX_free(context);
  return signature;
}

std::string status_name(int code) {
  if (code < 0 || code >= static_cast<int>(kStatusNames.size())) return {};
  return kStatusNames[static_cast<std::size_t>(code)];
}

std::string check_request_json(std::string_view request_type, const std::string& json) {
  auto message = superlink::new_fleet_message(request_type);
  if (!message) return "no message type flwr.proto." + std::string(request_type);
  if (json.empty()) return {};
  const auto status = google::protobuf::util::JsonStringToMessage(json, message.get());
  if (status.ok()) return {};
  return std::string(status.message());
}

FleetAnswer call_fleet(const FleetCall& call) {
  auto request = superlink::new_fleet_message(call.request_type);
  auto response = superlink::new_fleet_message(call.response_type);
  if (!request || !response) return {"INVALID_ARGUMENT", "unknown message type", ""};
  if (!call.request_json.empty()) {
    const auto status =
        google::protobuf::util::JsonStringToMessage(call.request_json, request.get());
    if (!status.ok()) return {"INVALID_ARGUMENT", std::string(status.message()), ""};
  }
  grpc::ChannelArguments arguments;
  arguments.SetMaxReceiveMessageSize(call.max_answer_bytes);
  const auto channel =
      grpc::CreateCustomChannel(call.address, grpc::InsecureChannelCredentials(), arguments);
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + call.deadline);
  if (call.key != nullptr) {
    for (const auto& [name, value] : auth_metadata(*call.key)) context.AddMetadata(name, value);
  }
  const std::string bytes = request->SerializeAsString();
  grpc::Slice slice(bytes);
  grpc::ByteBuffer request_buffer(&slice, 1);
  grpc::ByteBuffer response_buffer;
  const std::string method = call.rpc.starts_with('/') ? call.rpc : "/flwr.proto.Fleet/" + call.rpc;
  // A completion queue of our own, drained on this thread: the answer is finished here, not in
  // a callback on one of gRPC's threads (whose hand-off ThreadSanitizer cannot see).
  grpc::CompletionQueue queue;
  const auto reader = stub.PrepareUnaryCall(&context, method, request_buffer, &queue);
  reader->StartCall();
  grpc::Status status;
  int finished = 0;
  reader->Finish(&response_buffer, &status, &finished);
  void* tag = nullptr;
  bool ok = false;
  if (!queue.Next(&tag, &ok) || tag != &finished) {
    return {"INTERNAL", "the call's completion queue ended without its answer", ""};
  }
  queue.Shutdown();
  while (queue.Next(&tag, &ok)) {
  }
  FleetAnswer answer{status_name(status.error_code()), status.error_message(), ""};
  if (!status.ok()) return answer;
  std::vector<grpc::Slice> slices;
  std::string body;
  if (response_buffer.Dump(&slices).ok()) {
    for (const auto& piece : slices) {
      body.append(reinterpret_cast<const char*>(piece.begin()), piece.size());
    }
  }
  if (!response->ParseFromString(body)) {
    return {"INTERNAL", "the answer does not decode as flwr.proto." + call.response_type, ""};
  }
  google::protobuf::util::MessageToJsonString(*response, &answer.json);
  return answer;
}

}  // namespace superlink_grpc
